import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isProblemError, setUnauthorizedHandler } from '../../../api/api';
import type { CheckInRequest, CheckInResult, EvacueeView, Need, Sex, TouchResult, WalkInInput } from '../../../api/shelterTypes';
import type { SessionStaff } from '../../../api/types';
import { checkSession, signedOut, useAuth } from '../../../session/auth';
import { useApi } from '../../../hooks/useApi';
import { useSubmit } from '../../../hooks/useSubmit';
import { AgentSettingsDetails, BasicFourList, BasicFourRead, CardAgentProvider, CardTouch, useCardAgent, type BasicFour } from '../../../cardAgent';
import { PageHeading } from '../../../components/PageHeading/PageHeading';
import { Loading } from '../../../components/Loading/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { StatusMessage } from '../../../components/StatusMessage/StatusMessage';
import { Button, SubmitButton } from '../../../components/Button/Button';
import { Checkbox, CheckboxGroup, SelectField, TextField } from '../../../components/Field/Field';
import { useLang } from '../../../lib/localized';
import { KioskLayout } from '../../../components/KioskLayout/KioskLayout';
import { KioskStaffLogin } from '../../../components/KioskStaffLogin/KioskStaffLogin';
import { CameraScanner, cameraSupported } from '../../../components/CameraScanner/CameraScanner';
import { NeedBadges } from '../NeedBadges';
import { NEEDS, checkInPath, shelterApi, sortShelters } from '../shelterApi';
import { AttentionActions, QueuePanel } from './QueuePanel';
import { offlineQueue, useOfflineQueue, type SendOutcome } from './offlineQueue';

/** Roles holding shelter:operate (staff/principal.ts). */
const CHOICE_KEY = 'kazashi.shelterKiosk.shelter';

interface Choice {
  code: string;
  shelterId: string;
  nameJa: string;
  nameEn: string;
}

function loadChoice(code: string): Choice | null {
  try {
    const c = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? 'null') as Choice | null;
    return c && c.code === code ? c : null;
  } catch {
    return null;
  }
}

/**
 * /shelter/kiosk: the check-in terminal at a shelter's door, full screen (KioskLayout). A staff
 * member logs it in; every check-in goes through the IndexedDB outbox (offlineQueue), so the door
 * keeps working when the network or the server does not.
 */
export function ShelterKioskPage() {
  const { t } = useTranslation();
  const auth = useAuth();
  useEffect(() => {
    setUnauthorizedHandler(signedOut);
    return () => setUnauthorizedHandler(null);
  }, []);
  return (
    <KioskLayout>
      <CardAgentProvider>
        <PageHeading>{t('shelter.kiosk.title')}</PageHeading>
        {(auth.status === 'unknown' || auth.status === 'checking') && <Loading />}
        {auth.status === 'error' && (
          <div className="mt-4 flex flex-col items-start gap-3">
            <ProblemAlert error={auth.error} />
            <Button variant="secondary" onClick={() => checkSession()}>
              {t('app.retry')}
            </Button>
          </div>
        )}
        {auth.status === 'signed-out' && <KioskStaffLogin />}
        {auth.status === 'signed-in' &&
          (auth.staff.permissions.includes('shelter:operate') ? (
            <SignedIn staff={auth.staff} />
          ) : (
            <p className="mt-4 text-std-18N-160">{t('shelter.kiosk.noPermission')}</p>
          ))}
      </CardAgentProvider>
    </KioskLayout>
  );
}

function SignedIn({ staff }: { staff: SessionStaff }) {
  const { t } = useTranslation();
  const code = staff.municipalityCode;
  const [choice, setChoice] = useState<Choice | null>(() => loadChoice(code));
  const logout = useSubmit();
  const choose = (c: Choice | null) => {
    if (c) localStorage.setItem(CHOICE_KEY, JSON.stringify(c));
    else localStorage.removeItem(CHOICE_KEY);
    setChoice(c);
  };
  const staffLogout = () =>
    logout.run(async () => {
      try {
        await api.logout();
      } catch (e) {
        if (!(isProblemError(e) && e.status === 401)) throw e;
      }
      signedOut();
    });

  return (
    <>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3 rounded-8 bg-solid-gray-50 px-4 py-2 text-std-16N-170">
        <p>{t('shelter.kiosk.staffBar', { name: staff.displayName })}</p>
        <Button variant="secondary" onClick={staffLogout} disabled={logout.busy}>
          {t('shelter.kiosk.staffLogout')}
        </Button>
      </div>
      <ProblemAlert error={logout.error} className="mt-3" />
      <AgentSettingsDetails className="mt-3" summary={t('shelter.kiosk.agentSettings')} />
      {choice ? (
        <Terminal choice={choice} onChange={() => choose(null)} />
      ) : (
        <ShelterPicker code={code} onPick={choose} />
      )}
    </>
  );
}

function ShelterPicker({ code, onPick }: { code: string; onPick: (c: Choice) => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const shelters = useApi(['shelter', 'shelters', code, 'sorted'], (s) => shelterApi.shelters(code, s).then(sortShelters));
  const [selected, setSelected] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const s = shelters.data?.find((x) => x.id === selected);
    if (s) onPick({ code, shelterId: s.id, nameJa: s.nameJa, nameEn: s.nameEn });
  };
  return (
    <section aria-labelledby="pick-shelter" className="mt-6 max-w-xl">
      <h2 id="pick-shelter" className="text-std-24B-150">
        {t('shelter.kiosk.pickTitle')}
      </h2>
      {shelters.loading && <Loading />}
      <ProblemAlert error={shelters.error} className="mt-3" />
      {shelters.data && (
        <form onSubmit={submit} className="mt-4 flex flex-col items-start gap-4">
          <SelectField label={t('shelter.kiosk.shelter')} value={selected} onChange={(e) => setSelected(e.target.value)} required>
            <option value="">{t('shelter.kiosk.choose')}</option>
            {shelters.data.map((s) => (
              <option key={s.id} value={s.id}>
                {(lang === 'en' ? s.nameEn || s.nameJa : s.nameJa) + ' — ' + t(`shelter.status.${s.status}`)}
              </option>
            ))}
          </SelectField>
          <Button type="submit" className="min-h-14 px-8">
            {t('shelter.kiosk.use')}
          </Button>
        </form>
      )}
    </section>
  );
}

type Mode = 'touch' | 'walk-in' | 'qr' | 'entry';

/** What happened to the last check-in, shown until the next one. */
type Last = { label: string; outcome: SendOutcome; key: string } | null;

function Terminal({ choice, onChange }: { choice: Choice; onChange: () => void }) {
  const { t } = useTranslation();
  const lang = useLang();
  const [mode, setMode] = useState<Mode>('touch');
  const [last, setLast] = useState<Last>(null);
  const [round, setRound] = useState(0);
  const items = useOfflineQueue();
  const { code, shelterId } = choice;

  /** Every check-in: into the outbox first, then sent (see offlineQueue). */
  const checkIn = useCallback(
    async (body: Omit<CheckInRequest, 'idempotencyKey'>, label: string) => {
      const key = crypto.randomUUID();
      const outcome = await offlineQueue.enqueue({
        kind: 'check-in',
        path: checkInPath(code, shelterId),
        request: { ...body, idempotencyKey: key, at: new Date().toISOString() },
        label,
      });
      setLast({ label, outcome, key });
      if (outcome.outcome !== 'attention') setRound((n) => n + 1);
      return outcome;
    },
    [code, shelterId],
  );

  const attentionItem = last?.outcome.outcome === 'attention' ? items.find((i) => i.idempotencyKey === last.key) : undefined;
  const modes: Mode[] = ['touch', 'walk-in', 'qr', 'entry'];

  return (
    <>
      <div className="mt-4 flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-std-28B-150">{lang === 'en' ? choice.nameEn || choice.nameJa : choice.nameJa}</h2>
        <Button variant="secondary" onClick={onChange}>
          {t('shelter.kiosk.changeShelter')}
        </Button>
      </div>
      <QueuePanel code={code} shelterId={shelterId} />
      <div role="group" aria-label={t('shelter.kiosk.modeLabel')} className="mt-6 grid grid-cols-2 gap-3 md:grid-cols-4">
        {modes.map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={mode === m}
            onClick={() => {
              setMode(m);
              setLast(null);
            }}
            className={`min-h-16 rounded-8 border-2 px-3 py-2 text-std-18B-160 ${
              mode === m ? 'border-blue-900 bg-blue-900 text-white' : 'border-blue-900 bg-white text-blue-900 hover:bg-blue-50'
            }`}
          >
            {mode === m && <span aria-hidden="true">● </span>}
            {t(`shelter.kiosk.modes.${m}`)}
          </button>
        ))}
      </div>

      <div className="mt-4" aria-live="polite">
        {last?.outcome.outcome === 'sent' && <SentMessage label={last.label} result={last.outcome.response as CheckInResult} />}
        {last?.outcome.outcome === 'waiting' && <StatusMessage message={t('shelter.kiosk.queued', { label: last.label })} />}
        {attentionItem && <AttentionActions item={attentionItem} code={code} shelterId={shelterId} />}
      </div>

      <section className="mt-6" aria-label={t(`shelter.kiosk.modes.${mode}`)}>
        {mode === 'touch' && <TouchMode key={round} code={code} shelterId={shelterId} checkIn={checkIn} />}
        {mode === 'walk-in' && <WalkInMode key={round} checkIn={checkIn} />}
        {mode === 'qr' && <QrMode key={round} checkIn={checkIn} />}
        {mode === 'entry' && <EntryForm checkIn={checkIn} source="staff-entry" />}
      </section>
    </>
  );
}

type CheckInFn = (body: Omit<CheckInRequest, 'idempotencyKey'>, label: string) => Promise<SendOutcome>;

function SentMessage({ label, result }: { label: string; result: CheckInResult | undefined }) {
  const { t } = useTranslation();
  const n = result?.stays?.length ?? 0;
  let message = result?.created === false ? t('shelter.kiosk.replayed', { label }) : t('shelter.kiosk.checkedIn', { label, count: n });
  if (result?.acceptedOverCapacity) message += ' ' + t('shelter.kiosk.overCapacity');
  return <StatusMessage message={message} />;
}

/** (a) A pre-registered (or registered) resident touches the card: their household, all ticked. */
function TouchMode({ code, shelterId, checkIn }: { code: string; shelterId: string; checkIn: CheckInFn }) {
  const { t } = useTranslation();
  const agent = useCardAgent();
  const [household, setHousehold] = useState<TouchResult | null>(null);
  // Sent with the chosen ids: a partner municipality's household is only reachable through the card.
  const [certificate, setCertificate] = useState<string | null>(null);
  const [ticked, setTicked] = useState<string[]>([]);
  const read = useSubmit();
  const send = useSubmit();

  const touched = async (body: { certificate: string; challengeId?: string; signature?: string }) => {
    try {
      const r = await shelterApi.touch(code, shelterId, body);
      setHousehold(r);
      setCertificate(body.certificate);
      setTicked(r.household.filter((p) => !p.stay || p.stay.shelterId !== shelterId).map((p) => p.evacueeId));
    } catch (e) {
      // Offline: the card's certificate is enough; the server confirms who it is when it syncs.
      if (isProblemError(e) && (e.status === 0 || e.status >= 502)) {
        await checkIn({ certificate: body.certificate, channel: 'card-touch' }, t('shelter.kiosk.cardLabel'));
        return;
      }
      throw e;
    }
  };

  if (household) {
    const people = household.household;
    return (
      <form
        onSubmit={send.onSubmit(async () => {
          const chosen = people.filter((p) => ticked.includes(p.evacueeId));
          await checkIn({ ...(certificate ? { certificate } : {}), evacueeIds: ticked, channel: 'card-touch' }, chosen.map((p) => p.nameKanji ?? t('shelter.kiosk.nameHidden')).join('、'));
        })}
        className="flex flex-col gap-4"
      >
        <h3 className="text-std-24B-150">{t('shelter.kiosk.householdTitle')}</h3>
        {!household.detailsShared && <p>{t('shelter.kiosk.detailsNotShared')}</p>}
        <ul className="flex flex-col gap-3">
          {people.map((p) => (
            <HouseholdRow key={p.evacueeId} person={p} shelterId={shelterId} checked={ticked.includes(p.evacueeId)} onToggle={(on) => setTicked((v) => (on ? [...v, p.evacueeId] : v.filter((x) => x !== p.evacueeId)))} />
          ))}
        </ul>
        <ProblemAlert error={send.error} />
        <div className="flex flex-wrap gap-3">
          <SubmitButton busy={send.busy} disabled={ticked.length === 0} className="min-h-16 px-10 text-std-20B-150">
            {t('shelter.kiosk.checkInTogether', { count: ticked.length })}
          </SubmitButton>
          <Button variant="secondary" onClick={() => setHousehold(null)}>
            {t('shelter.kiosk.cancel')}
          </Button>
        </div>
      </form>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <p className="text-std-18N-160">{t('shelter.kiosk.touchLead')}</p>
      {agent.status === 'card-present' && (
        <div>
          <Button className="min-h-16 px-10 text-std-20B-150" disabled={read.busy} onClick={() => read.run(async () => touched({ certificate: (await agent.identify()).certificate }))}>
            {t('shelter.kiosk.readCard')}
          </Button>
          <ProblemAlert error={read.error} className="mt-3" />
        </div>
      )}
      <details>
        <summary className="min-h-11 cursor-pointer py-2 text-std-17B-170">{t('shelter.kiosk.pinNeeded')}</summary>
        <div className="mt-3">
          <CardTouch getChallenge={() => shelterApi.challenge(code)} onAuthenticated={(r) => touched(r)} />
        </div>
      </details>
    </div>
  );
}

function HouseholdRow({ person, shelterId, checked, onToggle }: { person: EvacueeView; shelterId: string; checked: boolean; onToggle: (on: boolean) => void }) {
  const { t } = useTranslation();
  const here = person.stay?.shelterId === shelterId;
  return (
    <li className="rounded-8 border border-solid-gray-420 p-3">
      <Checkbox
        checked={checked}
        onChange={(e) => onToggle(e.target.checked)}
        label={
          <span className="text-std-20B-150">
            {person.nameKanji ?? t('shelter.kiosk.nameHidden')}
            {person.nameKana && <span className="ml-2 text-std-16N-170">{person.nameKana}</span>}
          </span>
        }
      />
      <div className="ml-9">
        <NeedBadges needs={person.needs} language={person.language} />
        {person.stay && (
          <p className="mt-1 text-std-16N-170">
            <span aria-hidden="true">ℹ </span>
            {here ? t('shelter.kiosk.alreadyHere') : t('shelter.kiosk.alreadyElsewhere', { shelter: person.stay.shelterNameJa ?? person.stay.place })}
          </p>
        )}
      </div>
    </li>
  );
}

/** (b) Not pre-registered: the card's basic four (券面事項入力補助 PIN), then needs added by staff. */
function WalkInMode({ checkIn }: { checkIn: CheckInFn }) {
  const { t } = useTranslation();
  const agent = useCardAgent();
  const [four, setFour] = useState<{ value: BasicFour; certificate: string } | null>(null);
  if (!four) {
    return (
      <div className="flex flex-col gap-4">
        <p className="text-std-18N-160">{t('shelter.kiosk.walkInLead')}</p>
        <BasicFourRead
          onRead={(value) => {
            void agent.identify().then((id) => setFour({ value, certificate: id.certificate }));
          }}
        />
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      <BasicFourList value={four.value} />
      <EntryForm
        checkIn={checkIn}
        source="card-walk-in"
        fixed={{ nameKanji: four.value.name, birthDate: four.value.birthDate, sex: four.value.sex, address: four.value.address, certificate: four.certificate }}
      />
    </div>
  );
}

/** (c) A personal QR from a resident's phone, or a blank intake card's code (then entered once by staff). */
function QrMode({ checkIn }: { checkIn: CheckInFn }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'personal' | 'intake'>('personal');
  const [text, setText] = useState('');
  const [camera, setCamera] = useState(false);
  const [intakeCode, setIntakeCode] = useState<string | null>(null);
  const send = useSubmit();

  const accept = (value: string) => {
    const v = value.trim();
    if (!v) return;
    if (kind === 'intake') setIntakeCode(v);
    else void send.run(() => checkIn({ qrToken: v, channel: 'qr' }, t('shelter.kiosk.qrLabel')));
  };

  if (intakeCode) {
    return (
      <div className="flex flex-col gap-3">
        <p className="text-std-18N-160">{t('shelter.kiosk.intakeCode', { code: intakeCode })}</p>
        <EntryForm checkIn={checkIn} source="qr-intake" fixed={{ intakeCode }} />
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      <fieldset>
        <legend className="text-std-17B-170">{t('shelter.kiosk.qrKind')}</legend>
        <div className="flex flex-wrap gap-4">
          {(['personal', 'intake'] as const).map((k) => (
            <label key={k} className="flex min-h-11 items-center gap-2">
              <input type="radio" name="qr-kind" className="size-6" checked={kind === k} onChange={() => setKind(k)} />
              {t(`shelter.kiosk.qrKinds.${k}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          accept(text);
        }}
        className="flex flex-wrap items-end gap-3"
      >
        <TextField label={t('shelter.kiosk.qrText')} value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" required />
        <Button type="submit">{t('shelter.kiosk.qrSubmit')}</Button>
        {cameraSupported() && !camera && (
          <Button variant="secondary" onClick={() => setCamera(true)}>
            {t('shelter.kiosk.camera')}
          </Button>
        )}
      </form>
      {camera && (
        <CameraScanner
          onScan={(v) => {
            setCamera(false);
            accept(v);
          }}
          onStop={() => setCamera(false)}
        />
      )}
      <ProblemAlert error={send.error} />
    </div>
  );
}

const LANGUAGES = ['ja', 'en', 'zh', 'ko', 'vi', 'pt', 'es', 'tl', 'ne', 'id', 'other'] as const;

interface EntryState {
  nameKanji: string;
  nameKana: string;
  birthDate: string;
  sex: Sex | '';
  needs: Need[];
  language: string;
  consentInquiry: boolean;
}
const EMPTY: EntryState = { nameKanji: '', nameKana: '', birthDate: '', sex: '', needs: [], language: 'ja', consentInquiry: false };

/**
 * (d) Staff entry (and the needs part of the card / intake walk-ins). The form is cleared as soon as
 * it is submitted, before the send, so the next person can be typed at once, even offline.
 */
function EntryForm({ checkIn, source, fixed }: { checkIn: CheckInFn; source: WalkInInput['source']; fixed?: Partial<WalkInInput> }) {
  const { t } = useTranslation();
  const [v, setV] = useState<EntryState>(EMPTY);
  const [error, setError] = useState<unknown>(undefined);
  const nameRef = useRef<HTMLInputElement>(null);
  const fromCard = fixed?.nameKanji !== undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const walkIn: WalkInInput = {
      source,
      nameKanji: v.nameKanji.trim(),
      ...(v.nameKana.trim() ? { nameKana: v.nameKana.trim() } : {}),
      ...(v.birthDate ? { birthDate: v.birthDate } : {}),
      ...(v.sex ? { sex: v.sex } : {}),
      needs: v.needs,
      language: v.language,
      consentInquiry: v.consentInquiry,
      ...fixed,
    };
    if (!walkIn.nameKanji) return;
    setV(EMPTY);
    setError(undefined);
    nameRef.current?.focus();
    checkIn({ walkIn, channel: source === 'card-walk-in' ? 'card-walk-in' : source === 'qr-intake' ? 'qr' : 'staff' }, walkIn.nameKanji).catch(setError);
  };

  return (
    <form onSubmit={submit} className="flex max-w-3xl flex-col gap-4" aria-label={t('shelter.kiosk.entryTitle')}>
      {!fromCard && (
        <div className="grid gap-4 md:grid-cols-2">
          <TextField ref={nameRef} label={t('shelter.entry.name')} value={v.nameKanji} onChange={(e) => setV({ ...v, nameKanji: e.target.value })} required autoComplete="off" />
          <TextField label={t('shelter.entry.kana')} value={v.nameKana} onChange={(e) => setV({ ...v, nameKana: e.target.value })} autoComplete="off" />
          <TextField label={t('shelter.entry.birthDate')} type="date" value={v.birthDate} onChange={(e) => setV({ ...v, birthDate: e.target.value })} />
          <SelectField label={t('shelter.entry.sex')} value={v.sex} onChange={(e) => setV({ ...v, sex: e.target.value as Sex | '' })}>
            <option value="">{t('shelter.entry.sexUnknown')}</option>
            <option value="female">{t('shelter.entry.sexes.female')}</option>
            <option value="male">{t('shelter.entry.sexes.male')}</option>
            <option value="other">{t('shelter.entry.sexes.other')}</option>
          </SelectField>
        </div>
      )}
      <CheckboxGroup
        idPrefix={`entry-needs-${source}`}
        legend={t('shelter.entry.needs')}
        options={NEEDS.map((n) => ({ value: n, label: t(`shelter.needs.${n}`) }))}
        value={v.needs}
        onChange={(needs) => setV({ ...v, needs: needs as Need[] })}
      />
      <SelectField label={t('shelter.entry.language')} value={v.language} onChange={(e) => setV({ ...v, language: e.target.value })}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`shelter.languages.${l}`)}
          </option>
        ))}
      </SelectField>
      <Checkbox label={t('shelter.entry.consentInquiry')} checked={v.consentInquiry} onChange={(e) => setV({ ...v, consentInquiry: e.target.checked })} />
      <ProblemAlert error={error} />
      <div>
        <Button type="submit" className="min-h-16 px-10 text-std-20B-150">
          {t('shelter.entry.submit')}
        </Button>
      </div>
    </form>
  );
}

