/**
 * The inbox pages' texts in English and German (kept beside the pages; the shared catalogs only hold the
 * navigation labels). `useInboxText()` picks the catalog of the dashboard's current language.
 */
import { useI18n } from '../i18n.tsx';

const en = {
  'queue.title': 'Inbox', 'queue.open': 'Open', 'queue.pending': 'Pending customer', 'queue.done': 'Resolved', 'queue.all': 'All', 'queue.mine': 'Mine',
  'queue.unassigned': 'Unassigned', 'queue.everyone': 'Everyone', 'queue.empty': 'No cases here', 'queue.emptyHint': 'Complaints, questions and threats about your brands appear here as they arrive.',
  'case.priority': 'Priority', 'case.status': 'Status', 'case.assignee': 'Assignee', 'case.nobody': 'Nobody', 'case.roundRobin': 'Next available agent',
  'case.tags': 'Tags', 'case.thread': 'Conversation', 'case.notes': 'Internal notes', 'case.addNote': 'Add note', 'case.person': 'Customer', 'case.close': 'Close',
  'case.escalated': 'Escalated', 'case.why': 'Why this priority', 'case.activity': 'Activity', 'status.open': 'Open', 'status.pending_customer': 'Pending customer', 'status.resolved': 'Resolved', 'status.closed': 'Closed',
  'reply.placeholder': 'Write the reply the customer will get…', 'reply.send': 'Send reply', 'reply.sendPending': 'Send and wait for customer', 'reply.template': 'Saved reply…',
  'reply.viewer': 'Viewers cannot reply.', 'reply.failed': 'Not delivered', 'reply.retry': 'Send again', 'reply.sent': 'Delivered', 'reply.queued': 'Sending…', 'reply.recorded': 'Answered outside Earshot',
  'sla.first_response': 'First response', 'sla.next_response': 'Next response', 'sla.resolution': 'Resolution', 'sla.due': 'due in {d}', 'sla.over': 'overdue by {d}',
  'sla.paused': 'paused', 'sla.met': 'met', 'sla.missed': 'missed',
  'people.title': 'People', 'people.search': 'Search people', 'people.identities': 'Identities', 'people.cases': 'Cases', 'people.timeline': 'Timeline', 'people.churn': 'Churn risk',
  'people.merge': 'Merge another person into this one (id)', 'people.mergeButton': 'Merge', 'people.split': 'Split off', 'people.empty': 'No people yet',
  'reports.title': 'Reports', 'reports.by': 'Per', 'reports.brand': 'Brand', 'reports.channel': 'Channel', 'reports.agent': 'Agent', 'reports.cases': 'Cases',
  'settings.title': 'Settings', 'settings.rules': 'Which mentions open a case', 'settings.intents': 'Intents', 'settings.negative': 'Also any negative mention',
  'settings.everything': 'Every mention about a tracked brand', 'settings.autoAssign': 'Assign new cases round-robin', 'settings.save': 'Save', 'settings.sla': 'Service levels',
  'settings.firstResponseMinutes': 'First response (minutes)', 'settings.nextResponseMinutes': 'Next response (minutes)', 'settings.resolutionMinutes': 'Resolution (minutes)',
  'settings.warnBeforeMinutes': 'Warn before breach (minutes)', 'settings.businessHours': 'Count business hours only', 'settings.timeZone': 'Time zone', 'settings.start': 'From', 'settings.end': 'Until',
  'settings.templates': 'Saved replies', 'settings.templateName': 'Name', 'settings.addTemplate': 'Add saved reply', 'settings.team': 'Available for new cases',
  'settings.adminsOnly': 'Rules and service levels can be changed by admins; agents manage saved replies and their own availability.',
  'people.why.email': 'linked: same e-mail address {address}', 'people.why.handle': 'linked: verified {channel} handle {handle} (by {who}{evidence})',
  'people.why.did': 'linked: same Bluesky account {did}', 'people.why.new': 'first identity', 'people.why.manual': 'linked by hand',
  'people.handles': 'Verified handles', 'people.handlesHint': 'New mentions from these handles join this person automatically.', 'people.channel': 'Channel', 'people.handle': 'Handle',
  'people.evidence': 'How do you know?', 'people.verify': 'Verify handle', 'people.unverify': 'Forget', 'people.someone': 'someone',
  'notices.title': 'Notices', 'notices.read': 'Mark read', 'notices.open': 'Open case',
  'notices.told': 'Who was told', 'notices.warning': 'warning', 'notices.breach': 'breach', 'notices.via.in_app': 'in the app', 'notices.via.email': 'e-mail', 'notices.via.channel': 'alert channel',
  'notices.because.assignee': 'assignee', 'notices.because.admin': 'admin', 'notices.because.admin-unassigned': 'admin, nobody assigned', 'notices.because.escalation-user': 'escalation user', 'notices.because.alert-channel': 'escalation',
  'notices.sla_warning': 'SLA warning: {objective} of case #{id} due {due}', 'notices.sla_breached': 'SLA breached: {objective} of case #{id} — escalated',
  'reports.answered': 'Answered', 'reports.frtMedian': 'First response (median)', 'reports.frtP90': 'First response (p90)', 'reports.resolution': 'Resolution (median)', 'reports.sla': 'SLA met (first response)',
};
type Key = keyof typeof en;
const de: Record<Key, string> = {
  'queue.title': 'Posteingang', 'queue.open': 'Offen', 'queue.pending': 'Wartet auf Kunden', 'queue.done': 'Gelöst', 'queue.all': 'Alle', 'queue.mine': 'Meine',
  'queue.unassigned': 'Nicht zugewiesen', 'queue.everyone': 'Alle Personen', 'queue.empty': 'Keine Fälle', 'queue.emptyHint': 'Beschwerden, Fragen und Drohungen zu Ihren Marken erscheinen hier, sobald sie eintreffen.',
  'case.priority': 'Priorität', 'case.status': 'Status', 'case.assignee': 'Zuständig', 'case.nobody': 'Niemand', 'case.roundRobin': 'Nächste verfügbare Person',
  'case.tags': 'Schlagworte', 'case.thread': 'Unterhaltung', 'case.notes': 'Interne Notizen', 'case.addNote': 'Notiz hinzufügen', 'case.person': 'Kunde', 'case.close': 'Schließen',
  'case.escalated': 'Eskaliert', 'case.why': 'Warum diese Priorität', 'case.activity': 'Verlauf des Falls', 'status.open': 'Offen', 'status.pending_customer': 'Wartet auf Kunden', 'status.resolved': 'Gelöst', 'status.closed': 'Geschlossen',
  'reply.placeholder': 'Antwort an den Kunden schreiben…', 'reply.send': 'Antwort senden', 'reply.sendPending': 'Senden und auf Kunden warten', 'reply.template': 'Textbaustein…',
  'reply.viewer': 'Leserechte erlauben keine Antwort.', 'reply.failed': 'Nicht zugestellt', 'reply.retry': 'Erneut senden', 'reply.sent': 'Zugestellt', 'reply.queued': 'Wird gesendet…', 'reply.recorded': 'Außerhalb von Earshot beantwortet',
  'sla.first_response': 'Erste Antwort', 'sla.next_response': 'Nächste Antwort', 'sla.resolution': 'Lösung', 'sla.due': 'fällig in {d}', 'sla.over': 'überfällig seit {d}',
  'sla.paused': 'pausiert', 'sla.met': 'eingehalten', 'sla.missed': 'verfehlt',
  'people.title': 'Personen', 'people.search': 'Personen suchen', 'people.identities': 'Identitäten', 'people.cases': 'Fälle', 'people.timeline': 'Verlauf', 'people.churn': 'Abwanderungsrisiko',
  'people.merge': 'Andere Person hierher zusammenführen (ID)', 'people.mergeButton': 'Zusammenführen', 'people.split': 'Abtrennen', 'people.empty': 'Noch keine Personen',
  'reports.title': 'Berichte', 'reports.by': 'Nach', 'reports.brand': 'Marke', 'reports.channel': 'Kanal', 'reports.agent': 'Bearbeiter', 'reports.cases': 'Fälle',
  'settings.title': 'Einstellungen', 'settings.rules': 'Welche Erwähnungen einen Fall eröffnen', 'settings.intents': 'Absichten', 'settings.negative': 'Auch jede negative Erwähnung',
  'settings.everything': 'Jede Erwähnung einer beobachteten Marke', 'settings.autoAssign': 'Neue Fälle reihum zuweisen', 'settings.save': 'Speichern', 'settings.sla': 'Servicelevel',
  'settings.firstResponseMinutes': 'Erste Antwort (Minuten)', 'settings.nextResponseMinutes': 'Nächste Antwort (Minuten)', 'settings.resolutionMinutes': 'Lösung (Minuten)',
  'settings.warnBeforeMinutes': 'Warnung vor Verletzung (Minuten)', 'settings.businessHours': 'Nur Geschäftszeiten zählen', 'settings.timeZone': 'Zeitzone', 'settings.start': 'Von', 'settings.end': 'Bis',
  'settings.templates': 'Textbausteine', 'settings.templateName': 'Name', 'settings.addTemplate': 'Textbaustein hinzufügen', 'settings.team': 'Verfügbar für neue Fälle',
  'settings.adminsOnly': 'Regeln und Servicelevel ändern Admins; Bearbeiter pflegen Textbausteine und ihre eigene Verfügbarkeit.',
  'people.why.email': 'verknüpft: gleiche E-Mail-Adresse {address}', 'people.why.handle': 'verknüpft: bestätigtes {channel}-Konto {handle} (von {who}{evidence})',
  'people.why.did': 'verknüpft: gleiches Bluesky-Konto {did}', 'people.why.new': 'erste Identität', 'people.why.manual': 'von Hand verknüpft',
  'people.handles': 'Bestätigte Konten', 'people.handlesHint': 'Neue Erwähnungen dieser Konten werden dieser Person automatisch zugeordnet.', 'people.channel': 'Kanal', 'people.handle': 'Konto',
  'people.evidence': 'Woher wissen Sie es?', 'people.verify': 'Konto bestätigen', 'people.unverify': 'Entfernen', 'people.someone': 'jemandem',
  'notices.title': 'Hinweise', 'notices.read': 'Als gelesen markieren', 'notices.open': 'Fall öffnen',
  'notices.told': 'Wer benachrichtigt wurde', 'notices.warning': 'Warnung', 'notices.breach': 'Verletzung', 'notices.via.in_app': 'in der App', 'notices.via.email': 'E-Mail', 'notices.via.channel': 'Alarmkanal',
  'notices.because.assignee': 'zuständig', 'notices.because.admin': 'Admin', 'notices.because.admin-unassigned': 'Admin, niemand zuständig', 'notices.because.escalation-user': 'Eskalationsperson', 'notices.because.alert-channel': 'Eskalation',
  'notices.sla_warning': 'SLA-Warnung: {objective} für Fall #{id} fällig {due}', 'notices.sla_breached': 'SLA verletzt: {objective} für Fall #{id} — eskaliert',
  'reports.answered': 'Beantwortet', 'reports.frtMedian': 'Erste Antwort (Median)', 'reports.frtP90': 'Erste Antwort (p90)', 'reports.resolution': 'Lösung (Median)', 'reports.sla': 'SLA eingehalten (erste Antwort)',
};

export function useInboxText(): (key: Key, vars?: Record<string, string>) => string {
  const { locale } = useI18n();
  const catalog = locale === 'de' ? de : en;
  return (key, vars = {}) => catalog[key].replace(/\{(\w+)\}/g, (all, name: string) => vars[name] ?? all);
}
