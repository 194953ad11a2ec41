import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import type { AlertView } from '../api/schemas';
import { useDirectory } from '../directory/DirectoryContext';

/** Who or what the alert is about, linked to its page: staff act on people and lifts, not device ids. */
export function SubjectLabel({ alert, withAddress = false }: { alert: Pick<AlertView, 'subject' | 'deviceId'>; withAddress?: boolean }) {
  const { t } = useTranslation();
  const dir = useDirectory();
  const owner = dir.ownerOf(alert);
  if (owner?.type === 'resident') {
    const r = owner.resident;
    return (
      <span className="hb-subject">
        <Link to={`/residents/${encodeURIComponent(r.id)}`} onClick={(e) => e.stopPropagation()}>
          {r.name ?? r.id}
        </Link>
        <span className="hb-muted"> · {r.id}</span>
        {withAddress && r.address ? <span className="hb-muted"> · {r.address}</span> : null}
      </span>
    );
  }
  if (owner?.type === 'elevator') {
    const e = owner.elevator;
    return (
      <span className="hb-subject">
        <Link to={`/elevators/${encodeURIComponent(e.id)}`} onClick={(ev) => ev.stopPropagation()}>
          {e.building ? `${e.building} · ${e.id}` : e.id}
        </Link>
      </span>
    );
  }
  return (
    <span className="hb-subject">
      {t(`subjectType.${alert.subject.type}`)} {alert.subject.id}
    </span>
  );
}
