import type { TFunction } from 'i18next';
import { ApiError } from '../../../main/api/contract';
import { SignalingError } from '../briefing/SignalingClient';

/** A message in the user's language for anything a call may throw. */
export function errorMessage(t: TFunction, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof ApiError) {
    // However it was refused (publishing, syncing, issuing), a clear-text address to another machine is said one way.
    if (error.reason === 'plain_remote') return t('errors.plain_remote');
    if (error.code === 'document_rejected' && error.reason) return t(`errors.document.${error.reason}`, { detail });
    if (error.code === 'publish_failed') {
      return error.reason ? t(`errors.publish.${error.reason}`, { detail, defaultValue: t('errors.publish_failed', { detail }) }) : t('errors.publish_failed', { detail });
    }
    if (error.code === 'bad_input' && error.reason) return t(`errors.input.${error.reason}`, { detail, defaultValue: t('errors.unknown', { detail }) });
    if (error.code === 'server_refused') return t(`errors.server.${error.reason ?? 'other'}`, { detail, defaultValue: t('errors.server.other', { detail }) });
    if (error.code === 'server_unreachable') return t('errors.unreachable', { url: '' });
    if (error.code === 'conflict') return t('minutes.conflict');
    if ((error.code === 'export_failed' || error.code === 'signing_failed') && error.reason) {
      return t(`errors.records.${error.reason}`, { detail, defaultValue: t('errors.unknown', { detail }) });
    }
    // From the API channel, 'unreachable' means this PC's own app services, not the server.
    if (error.code === 'unreachable') return t('errors.local_unreachable', { detail });
    if (error.code === 'not_found' && error.reason) return t(`errors.records.${error.reason}`, { detail, defaultValue: t('errors.not_found', { detail }) });
    if (error.code === 'host_failed' && error.reason) return t(`errors.host.${error.reason}`, { detail, defaultValue: t('errors.host_failed', { detail }) });
    if (['host_failed', 'store_failed', 'not_found'].includes(error.code)) return t(`errors.${error.code}`, { detail });
  }
  if (error instanceof SignalingError && error.reason === 'briefing_not_published') return t('errors.briefing_not_published');
  if (error instanceof SignalingError && ['unreachable', 'bad_address', 'connection_lost', 'bad_credential', 'seat_taken', 'capacity', 'forbidden', 'over_limit', 'rate_limited'].includes(error.code)) {
    // The server's reason, worded here; its English message only where it gives none.
    const said = error.reason ? t(`serverReason.${error.reason}`, { count: error.count ?? 0 }) : detail;
    return t(`errors.${error.code}`, { url: '', detail: said });
  }
  return t('errors.unknown', { detail });
}
