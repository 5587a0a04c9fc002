import { useTranslation } from 'react-i18next';
import { Button } from '../../../components/Button/Button';
import { ProblemAlert } from '../../../components/ProblemAlert/ProblemAlert';
import { movementPath } from '../shelterApi';
import { offlineQueue, problemOf, useOfflineQueue, useOnline, type QueuedRequest } from './offlineQueue';

/**
 * The outbox as staff see it: a prominent live count of what is waiting to be sent (role=status, so
 * a screen reader hears it change), and every refused request with what can be done about it.
 * Nothing leaves this list without a success, a replay, or a staff decision.
 */
export function QueuePanel({ code, shelterId }: { code: string; shelterId: string }) {
  const { t } = useTranslation();
  const items = useOfflineQueue();
  const online = useOnline();
  const waiting = items.filter((i) => i.state === 'waiting').length;
  const attention = items.filter((i) => i.state === 'attention');
  const offline = waiting > 0 || !online;

  return (
    <>
      <div
        role="status"
        className={`mt-4 flex flex-wrap items-center justify-between gap-3 rounded-8 border-2 px-4 py-3 text-std-20B-150 ${
          offline ? 'border-orange-800 bg-orange-50 text-orange-1100' : 'border-success-1 bg-green-50 text-solid-gray-900'
        }`}
      >
        <p>
          <span aria-hidden="true">{offline ? '⏳ ' : '✓ '}</span>
          {offline ? t('shelter.queue.offline') : t('shelter.queue.online')}
          {t('shelter.queue.waitingPrefix')}
          <span data-testid="queue-count">{waiting}</span>
          {t('shelter.queue.waitingSuffix')}
        </p>
        {waiting > 0 && (
          <Button variant="secondary" onClick={() => offlineQueue.retryNow()}>
            {t('shelter.queue.retry')}
          </Button>
        )}
      </div>
      {attention.length > 0 && (
        <section aria-labelledby="queue-attention" className="mt-4 rounded-8 border-2 border-error-1 p-4">
          <h2 id="queue-attention" className="text-std-20B-150">
            <span aria-hidden="true">⚠ </span>
            {t('shelter.queue.attentionTitle', { count: attention.length })}
          </h2>
          <ul className="mt-2 flex flex-col gap-4">
            {attention.map((item) => (
              <li key={item.idempotencyKey} className="border-t border-solid-gray-420 pt-3">
                <p className="text-std-17B-170">
                  {item.label} <span className="text-std-16N-170">({new Date(item.createdAt).toLocaleString()})</span>
                </p>
                <AttentionActions item={item} code={code} shelterId={shelterId} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** The problem of one refused request and what staff can do: accept over capacity, transfer, or discard. */
export function AttentionActions({ item, code, shelterId }: { item: QueuedRequest; code: string; shelterId: string }) {
  const { t } = useTranslation();
  const error = problemOf(item);
  const details = (item.problem as { details?: Record<string, unknown> } | undefined)?.details ?? {};
  const stayId = typeof details.stayId === 'string' ? details.stayId : undefined;
  const host = typeof details.hostMunicipalityCode === 'string' ? details.hostMunicipalityCode : code;

  const transfer = async () => {
    if (!stayId) return;
    if (!window.confirm(t('shelter.queue.transferConfirm'))) return;
    // The transfer is queued like any other write; the refused check-in is replaced by it.
    await offlineQueue.remove(item.idempotencyKey);
    await offlineQueue.enqueue({
      kind: 'movement',
      path: movementPath(host, stayId),
      request: { idempotencyKey: crypto.randomUUID(), kind: 'transfer', toShelterId: shelterId },
      label: item.label,
    });
  };
  const discard = async () => {
    if (window.confirm(t('shelter.queue.discardConfirm', { label: item.label }))) await offlineQueue.remove(item.idempotencyKey);
  };

  return (
    <div className="mt-2 flex flex-col gap-2">
      <ProblemAlert error={error} />
      <div className="flex flex-wrap gap-2">
        {error.code === 'shelter-full' && item.kind === 'check-in' && (
          <Button onClick={() => void offlineQueue.resend(item.idempotencyKey, { acceptFull: true })}>{t('shelter.queue.acceptFull')}</Button>
        )}
        {error.code === 'already-in-shelter' && stayId && item.kind === 'check-in' && (
          <Button onClick={() => void transfer()}>{t('shelter.queue.transfer')}</Button>
        )}
        <Button variant="secondary" onClick={() => void offlineQueue.resend(item.idempotencyKey, {})}>
          {t('shelter.queue.resend')}
        </Button>
        <Button variant="danger" onClick={() => void discard()}>
          {t('shelter.queue.discard')}
        </Button>
      </div>
    </div>
  );
}
