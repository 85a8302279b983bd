// Reminders of assignments due soon, due today or late, read every few minutes while the app is
// open; each new one is also shown as a system notification (Electron shows the web
// Notification as the operating system's own).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FollowUpReminder } from '../../../main/api/contract';
import { desktop } from '../desktop';

const CHECK_EVERY_MS = 10 * 60_000;

export function useFollowUpReminders(serverUrl: string): FollowUpReminder[] {
  const { t } = useTranslation();
  const [reminders, setReminders] = useState<FollowUpReminder[]>([]);
  useEffect(() => {
    if (!serverUrl) return;
    // Told once per assignment and kind while the app runs, not at every check.
    const told = new Set<string>();
    let live = true;
    const check = () =>
      desktop.followUpReminders({ serverUrl }).then((found) => {
        if (!live) return;
        setReminders(found);
        for (const r of found) {
          const key = `${r.assignment.id}:${r.kind}`;
          if (told.has(key)) continue;
          told.add(key);
          if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
            new Notification(t('followUp.heading'), { body: t(`followUp.reminder.${r.kind}`, { task: r.assignment.task, unit: r.assignment.point ?? r.assignment.unit, day: r.assignment.deadline }) });
          }
        }
      }, () => undefined);
    if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
    void check();
    const timer = setInterval(() => void check(), CHECK_EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [serverUrl, t]);
  return reminders;
}
