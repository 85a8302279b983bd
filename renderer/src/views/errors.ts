import type { TFunction } from 'i18next';
import { ApiError } from '../../../main/api/contract';
import { SignalingError } from '../briefing/SignalingClient';

/** A message in the user's language for anything a call may throw. */
export function errorMessage(t: TFunction, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof ApiError && (error.code === 'host_failed' || error.code === 'store_failed')) {
    return t(`errors.${error.code}`, { detail });
  }
  if (error instanceof SignalingError && ['unreachable', 'bad_address', 'connection_lost'].includes(error.code)) {
    return t(`errors.${error.code}`, { url: '', detail });
  }
  return t('errors.unknown', { detail });
}
