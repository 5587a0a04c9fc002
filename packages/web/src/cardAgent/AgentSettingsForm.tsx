import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField, TextField } from '../components/Field/Field';
import { Button } from '../components/Button/Button';
import { StatusMessage } from '../components/StatusMessage/StatusMessage';
import { useCardAgent } from './CardAgentProvider';

/**
 * A small staff form for the kiosk's card agent settings: port, pairing token, and which reader to
 * use. Saving stores them (localStorage `kazashi.cardAgent`) and reconnects.
 */
export function AgentSettingsForm() {
  const { t } = useTranslation();
  const { settings, updateSettings, readers, status } = useCardAgent();
  const [port, setPort] = useState(String(settings.port));
  const [token, setToken] = useState(settings.token);
  const [reader, setReader] = useState(settings.reader ?? '');
  const [saved, setSaved] = useState<string | null>(null);

  const readerNames = Array.from(new Set([...readers.map((r) => r.name), ...(settings.reader ? [settings.reader] : [])]));

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const n = Number(port);
        updateSettings({ port: Number.isInteger(n) && n > 0 && n < 65536 ? n : settings.port, token: token.trim(), ...(reader ? { reader } : {}) });
        setSaved(t('resident.cardAgent.settingsSaved'));
      }}
    >
      <p>{t('resident.cardAgent.settingsLead')}</p>
      <p className="text-std-16B-170">{t(`resident.cardAgent.status.${status}`)}</p>
      <StatusMessage message={saved} />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
        <TextField
          label={t('resident.cardAgent.port')}
          inputMode="numeric"
          pattern="[0-9]{1,5}"
          required
          value={port}
          onChange={(e) => setPort(e.currentTarget.value.replace(/[^0-9]/g, ''))}
        />
        <TextField
          label={t('resident.cardAgent.token')}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="none"
          required
          value={token}
          onChange={(e) => setToken(e.currentTarget.value)}
        />
      </div>
      <SelectField label={t('resident.cardAgent.readerChoice')} value={reader} onChange={(e) => setReader(e.currentTarget.value)}>
        <option value="">{t('resident.cardAgent.readerAuto')}</option>
        {readerNames.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </SelectField>
      <Button type="submit" className="self-start">
        {t('resident.cardAgent.settingsSave')}
      </Button>
    </form>
  );
}

/**
 * The agent settings form folded away under `summary` (a <details>), as the kiosk and the resident
 * login screens show it. `className` goes before the box's own classes (e.g. a margin).
 */
export function AgentSettingsDetails({ summary, className }: { summary: ReactNode; className?: string }) {
  const box = 'rounded-8 border border-solid-gray-420 px-4 py-2';
  return (
    <details className={className ? `${className} ${box}` : box}>
      <summary className="flex min-h-11 cursor-pointer items-center text-std-16B-170">{summary}</summary>
      <div className="py-3">
        <AgentSettingsForm />
      </div>
    </details>
  );
}
