/** Horizontal bars with counts and shares; each row links to the mention list it summarizes. */
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';
import { PALETTE } from './volume-chart.tsx';

export interface ShareRow {
  key: string;
  label: string;
  n: number;
  /** Where the number leads: the filtered mention list. */
  to: string;
  highlight?: boolean;
}

export function ShareBars({ rows, label, colored }: { rows: ShareRow[]; label: string; colored?: boolean }) {
  const { number, percent, t } = useI18n();
  const total = rows.reduce((s, r) => s + r.n, 0);
  if (!total) return <p className="muted">{t('overview.noData')}</p>;
  return (
    <ul className="bars" aria-label={label}>
      {rows.map((r, i) => (
        <li key={r.key} className={r.highlight ? 'bar-row own' : 'bar-row'}>
          <Link to={r.to} className="bar-link" data-key={r.key}>
            <span className="bar-label">{r.label}</span>
            <span className="bar-track" aria-hidden="true">
              <span className="bar-fill" style={{ width: `${(100 * r.n) / total}%`, background: colored ? PALETTE[i % PALETTE.length] : undefined }} />
            </span>
            <span className="bar-value">{number(r.n)}</span>
            <span className="bar-share">{percent(r.n / total)}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
