import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useCardAgent } from './CardAgentProvider';
import { CardAgentError } from './errors';
import { CardAgentStatusPanel } from './CardAgentStatusPanel';
import { PinForm } from './PinForm';
import type { BasicFour } from './protocol';

export interface BasicFourReadProps {
  /** Receives the four items read from the card (show them for confirmation before using them). */
  onRead: (basicFour: BasicFour) => void;
  /**
   * The certificate (base64 DER) of the card confirmed earlier with <CardTouch>. When given, the
   * card is identified again right after the read, and a different card is refused
   * (`different-card`): the basic four must come from the card that proved who the resident is.
   */
  expectCertificate?: string;
  submitLabel?: ReactNode;
  children?: ReactNode;
}

/**
 * Reads the basic four (氏名・住所・生年月日・性別) from the card's 券面事項入力補助 AP after its
 * 4-digit PIN, with the same PIN handling as {@link CardTouch}. Must be inside a CardAgentProvider.
 *
 * @example
 * ```tsx
 * <BasicFourRead onRead={setBasicFour} />
 * {basicFour && <BasicFourList value={basicFour} />}
 * ```
 */
export function BasicFourRead({ onRead, expectCertificate, submitLabel, children }: BasicFourReadProps) {
  const { t } = useTranslation();
  const agent = useCardAgent();
  const send = async (pin: string, allowLastTry: boolean) => {
    const basicFour = await agent.readBasicFour({ pin, allowLastTry });
    if (expectCertificate !== undefined && (await agent.identify()).certificate !== expectCertificate) {
      throw CardAgentError.local('different-card');
    }
    onRead(basicFour);
  };
  return (
    <div className="flex flex-col gap-6">
      <CardAgentStatusPanel />
      {agent.status === 'card-present' && (
        <PinForm kind="cardInfo" submitLabel={submitLabel ?? t('resident.cardAgent.basicFourSubmit')} onSubmit={send}>
          {children}
        </PinForm>
      )}
    </div>
  );
}

/** The basic four as a definition list, large, for the resident to check. */
export function BasicFourList({ value }: { value: BasicFour }) {
  const { t } = useTranslation();
  const rows: [string, string][] = [
    [t('resident.cardAgent.name'), value.name],
    [t('resident.cardAgent.address'), value.address],
    [t('resident.cardAgent.birthDate'), value.birthDate],
    [t('resident.cardAgent.sex'), t(`resident.cardAgent.sexes.${value.sex}`)],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-std-18N-160 sm:grid-cols-[auto_1fr]">
      {rows.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="font-bold text-solid-gray-700">{k}</dt>
          <dd className="mb-2 sm:mb-0">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
