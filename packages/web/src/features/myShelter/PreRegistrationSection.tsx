import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { residentApi } from '../../api/resident';
import { useApi } from '../../hooks/useApi';
import { useSubmit } from '../../hooks/useSubmit';
import { Section } from '../../components/Section/Section';
import { Loading } from '../../components/Loading/Loading';
import { ProblemAlert } from '../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../components/StatusMessage/StatusMessage';
import { Button, SubmitButton } from '../../components/Button/Button';
import { formatDateTime } from '../../lib/format';
import { useLang } from '../../lib/localized';
import { ConfirmDialog } from '../../components/ConfirmDialog/ConfirmDialog';
import { BigCheckbox, BigInput } from './fields';
import { ErrorSummary, type ErrorSummaryItem } from './ErrorSummary';
import { MemberFields, memberFieldId, type MemberFieldName } from './MemberFields';
import { blankMember, emptyDraft, fieldErrorMap, toDraft, toRequest, type MemberDraft, type RegistrationDraft } from './form';
import type { MyShelterApi } from './myShelterApi';

interface Loaded {
  /** Whether a registration exists on the server. */
  exists: boolean;
  draft: RegistrationDraft;
}

/**
 * 事前登録: the household the resident will evacuate with, their care needs and two consents.
 * Loads GET /api/resident/me/shelter-registration (none yet → an empty form whose first member is
 * the resident, with the card's name and birth date); saves with PUT (the whole household).
 */
export function PreRegistrationSection({ client }: { client: MyShelterApi }) {
  const { t } = useTranslation();
  const loaded = useApi<Loaded>(['resident', 'shelter-registration'], async (signal) => {
      const reg = await client.registration(signal);
      if (reg) return { exists: true, draft: toDraft(reg) };
      // The card's basic four only saves typing: without it the form starts blank.
      const me = await residentApi.me(signal).catch(() => null);
      return { exists: false, draft: emptyDraft(me?.profile) };
  });
  return (
    <Section title={t('myShelter.prereg.title')}>
      <p className="text-std-18N-160">{t('myShelter.prereg.lead')}</p>
      <p className="mt-3 flex gap-3 rounded-8 border-2 border-blue-900 bg-blue-50 px-4 py-3 text-std-18B-160">
        <svg aria-hidden="true" viewBox="0 0 24 24" className="mt-1 size-6 shrink-0 fill-blue-900">
          <path d="M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm1 15h-2v-6h2v6Zm0-8h-2V7h2v2Z" />
        </svg>
        <span>{t('myShelter.prereg.shelterChosenAtCheckIn')}</span>
      </p>
      {loaded.loading && <Loading />}
      <ProblemAlert error={loaded.error} className="mt-4" />
      {loaded.data && <PreRegistrationForm client={client} initial={loaded.data} />}
    </Section>
  );
}

const ADD_ID = 'prereg-add-member';
const HOUSEHOLD_FIELDS = ['phone', 'pets', 'consentInquiry', 'consentJointUse'] as const;
type HouseholdField = (typeof HOUSEHOLD_FIELDS)[number];

function householdLabel(t: TFunction, field: HouseholdField): string {
  return t(`myShelter.prereg.${field}`);
}

function memberLabel(t: TFunction, field: string): string {
  const known: Record<string, string> = {
    nameKanji: t('myShelter.prereg.nameKanji'),
    nameKana: t('myShelter.prereg.nameKana'),
    birthDate: t('myShelter.prereg.birthDate'),
    sex: t('myShelter.prereg.sex'),
    allergies: t('myShelter.prereg.allergies'),
    medication: t('myShelter.prereg.medication'),
    care: t('myShelter.prereg.care'),
    disability: t('myShelter.prereg.disability'),
    pregnancy: t('myShelter.prereg.pregnancy'),
    infant: t('myShelter.prereg.infant'),
    language: t('myShelter.prereg.language'),
    notes: t('myShelter.prereg.notes'),
  };
  return known[field] ?? field;
}

/** Checks the browser cannot make in our words: every member needs a name and a birth date. */
function clientErrors(t: TFunction, draft: RegistrationDraft): Map<string, string> {
  const out = new Map<string, string>();
  draft.members.forEach((m, i) => {
    for (const field of ['nameKanji', 'birthDate'] as const) {
      if (!m[field].trim()) out.set(`members.${i}.${field}`, t('myShelter.prereg.requiredMissing', { field: memberLabel(t, field) }));
    }
  });
  return out;
}

function PreRegistrationForm({ client, initial }: { client: MyShelterApi; initial: Loaded }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [draft, setDraft] = useState<RegistrationDraft>(initial.draft);
  const [exists, setExists] = useState(initial.exists);
  const [checkErrors, setCheckErrors] = useState<Map<string, string>>(new Map());
  const [status, setStatus] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [removing, setRemoving] = useState<{ member: MemberDraft } | null>(null);
  const save = useSubmit();
  const focusNext = useRef<string | 'add' | null>(null);

  // After adding or removing a member, move the focus where the resident continues.
  useEffect(() => {
    const target = focusNext.current;
    if (!target) return;
    focusNext.current = null;
    const el = document.getElementById(target === 'add' ? ADD_ID : target);
    el?.focus();
  }, [draft.members.length]);

  // Server field errors are keyed by member position: a removal makes them stale.
  const [staleError, setStaleError] = useState<unknown>(undefined);
  const serverError = save.error !== undefined && save.error === staleError ? undefined : save.error;
  const serverErrors = useMemo(() => {
    const map = fieldErrorMap(serverError);
    const out = new Map<string, string>();
    for (const [k, v] of map) out.set(k, `${t('myShelter.prereg.fieldInvalid')}（${v}）`);
    return out;
  }, [serverError, t]);
  const errors = checkErrors.size > 0 ? checkErrors : serverErrors;

  const summary: ErrorSummaryItem[] = [...errors].map(([key, message]) => {
    const parts = key.split('.');
    if (parts[0] === 'members' && parts.length >= 3 && /^\d+$/.test(parts[1]!)) {
      const index = Number(parts[1]);
      const field = parts.slice(2).join('.');
      return {
        targetId: index < draft.members.length ? memberFieldId(index, field as MemberFieldName) : null,
        label: t('myShelter.prereg.memberField', { n: index + 1, field: memberLabel(t, field) }),
        message,
      };
    }
    if ((HOUSEHOLD_FIELDS as readonly string[]).includes(key)) {
      return { targetId: `prereg-${key}`, label: householdLabel(t, key as HouseholdField), message };
    }
    return { targetId: null, label: key || '—', message };
  });

  const update = (patch: Partial<RegistrationDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus(null);
  };
  const updateMember = (index: number, patch: Partial<MemberDraft>) => {
    setDraft((d) => ({ ...d, members: d.members.map((m, i) => (i === index ? { ...m, ...patch } : m)) }));
    setStatus(null);
  };
  const addMember = () => {
    const n = draft.members.length + 1;
    focusNext.current = memberFieldId(draft.members.length, 'nameKanji');
    setDraft((d) => ({ ...d, members: [...d.members, blankMember(false)] }));
    setNotice(t('myShelter.prereg.addedNotice', { n }));
    setStatus(null);
  };
  const confirmRemove = () => {
    if (!removing) return;
    const name = removing.member.nameKanji.trim() || t('myShelter.prereg.unnamed');
    focusNext.current = 'add';
    // Field errors are keyed by position: after a removal they no longer match.
    setCheckErrors(new Map());
    setStaleError(save.error);
    setDraft((d) => ({ ...d, members: d.members.filter((m) => m.key !== removing.member.key) }));
    setRemoving(null);
    setNotice(t('myShelter.prereg.removedNotice', { name }));
    setStatus(null);
  };

  const onSubmit = save.onSubmit(
    async () => {
      const saved = await client.saveRegistration(toRequest(draft));
      setDraft(toDraft(saved));
      setExists(true);
      setNotice(null);
      setStatus(t('myShelter.prereg.saved'));
    },
    () => {
      const found = clientErrors(t, draft);
      setCheckErrors(found);
      setStatus(null);
      return found.size === 0;
    },
  );

  return (
    <form noValidate onSubmit={onSubmit} className="mt-6 flex flex-col gap-8" aria-label={t('myShelter.prereg.title')}>
      {!exists ? (
        <p className="text-std-18N-160">{t('myShelter.prereg.notYet')}</p>
      ) : (
        draft.updatedAt && <p className="text-std-16N-170 text-solid-gray-700">{t('myShelter.prereg.registeredAt', { date: formatDateTime(draft.updatedAt, lang) })}</p>
      )}

      <div>
        <h3 className="text-std-20B-150">{t('myShelter.prereg.membersTitle')}</h3>
        <p className="mt-1 text-std-18N-160">{t('myShelter.prereg.membersLead')}</p>
        <div className="mt-4 flex flex-col gap-6">
          {draft.members.map((m, i) => (
            <MemberFields
              key={m.key}
              index={i}
              member={m}
              errors={errors}
              onChange={(patch) => updateMember(i, patch)}
              onRemove={() => setRemoving({ member: m })}
            />
          ))}
        </div>
        <Button id={ADD_ID} variant="secondary" className="mt-4 min-h-14 px-6 text-std-18B-160" onClick={addMember}>
          <span aria-hidden="true" className="text-std-24B-150 leading-none">
            ＋
          </span>
          {t('myShelter.prereg.addMember')}
        </Button>
        <div role="status" aria-live="polite" className="mt-2 text-std-16N-170">
          {notice}
        </div>
      </div>

      <div>
        <h3 className="text-std-20B-150">{t('myShelter.prereg.householdTitle')}</h3>
        <div className="mt-3 grid grid-cols-1 gap-4 sm:grid-cols-2">
          <BigInput
            id="prereg-phone"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            label={t('myShelter.prereg.phone')}
            hint={t('myShelter.prereg.phoneHint')}
            value={draft.phone}
            error={errors.get('phone')}
            onChange={(e) => update({ phone: e.currentTarget.value })}
          />
          <BigInput
            id="prereg-pets"
            label={t('myShelter.prereg.pets')}
            hint={t('myShelter.prereg.petsHint')}
            value={draft.pets}
            error={errors.get('pets')}
            onChange={(e) => update({ pets: e.currentTarget.value })}
          />
        </div>
      </div>

      <div>
        <h3 className="text-std-20B-150">{t('myShelter.prereg.consentsTitle')}</h3>
        <p className="mt-1 text-std-18N-160">{t('myShelter.prereg.consentsLead')}</p>
        <div className="mt-3 flex flex-col gap-3">
          <BigCheckbox
            id="prereg-consentInquiry"
            label={t('myShelter.prereg.consentInquiry')}
            help={t('myShelter.prereg.consentInquiryHelp')}
            checked={draft.consentInquiry}
            error={errors.get('consentInquiry')}
            onChange={(consentInquiry) => update({ consentInquiry })}
          />
          <BigCheckbox
            id="prereg-consentJointUse"
            label={t('myShelter.prereg.consentJointUse')}
            help={t('myShelter.prereg.consentJointUseHelp')}
            checked={draft.consentJointUse}
            error={errors.get('consentJointUse')}
            onChange={(consentJointUse) => update({ consentJointUse })}
          />
        </div>
        <p className="mt-2 text-std-16N-170">{t('myShelter.prereg.consentsApplyAll')}</p>
      </div>

      <div className="flex flex-col items-start gap-3">
        <ErrorSummary
          error={checkErrors.size > 0 ? undefined : serverError}
          items={summary}
          focusKey={checkErrors.size > 0 ? checkErrors : serverError}
          className="w-full"
        />
        <SubmitButton
          busy={save.busy}
          busyLabel={t('myShelter.prereg.saving')}
          className="min-h-16 px-10 text-std-20B-150"
          data-testid="prereg-save"
        >
          {t('myShelter.prereg.save')}
        </SubmitButton>
        <StatusMessage message={status} className="w-full" />
      </div>

      {removing && (
        <ConfirmDialog
          title={t('myShelter.prereg.removeConfirmTitle')}
          confirmLabel={t('myShelter.prereg.removeConfirm')}
          cancelLabel={t('myShelter.prereg.removeCancel')}
          onConfirm={confirmRemove}
          onCancel={() => setRemoving(null)}
        >
          {t('myShelter.prereg.removeConfirmBody', { name: removing.member.nameKanji.trim() || t('myShelter.prereg.unnamed') })}
        </ConfirmDialog>
      )}
    </form>
  );
}
