import type { IncidentShopView, IncidentView } from '../../../domains/incidents/incident.service.ts';
import type { IncidentDocumentRow, IncidentOverview } from '../../../domains/incidents/incident-overview.query.ts';
import type { ShopScope } from '../../../domains/incidents/incident-scope.query.ts';
import { formatJst } from '../../../domains/incidents/jst.ts';
import { TableRegion } from '../../../platform/views/table-region.tsx';
import { DeadlineList, DocumentTable, MilestoneList, ScopeCounts, SOURCE_LABELS, STATUS_LABELS } from '../../shared/incident-parts.view.tsx';
import { AdminLayout, type AdminPageFrame, adminBase } from '../admin-layout.tsx';

/** A shop's own view of the incidents it is on: its window, its counts, its documents, the deadlines. */

export function ShopIncidentListPage(props: AdminPageFrame & { incidents: IncidentOverview[] }) {
  const base = adminBase(props.shop.slug);
  return (
    <AdminLayout {...props} title="インシデント" active="incidents">
      <section class="panel" aria-labelledby="list-h">
        <h2 id="list-h">このショップが対象のインシデント</h2>
        {props.incidents.length === 0 ? (
          <p class="muted">このショップが対象のインシデントはありません。</p>
        ) : (
          <TableRegion label="インシデント一覧">
            <table>
              <thead>
                <tr>
                  <th scope="col">番号</th>
                  <th scope="col">件名</th>
                  <th scope="col">状態</th>
                  <th scope="col">認知日時</th>
                  <th scope="col">報告期限</th>
                </tr>
              </thead>
              <tbody>
                {props.incidents.map((i) => (
                  <tr key={i.id}>
                    <td class="mono">{i.number}</td>
                    <td>
                      <a href={`${base}/incidents/${i.id}`}>{i.title}</a>
                    </td>
                    <td>{STATUS_LABELS[i.status]}</td>
                    <td>{formatJst(i.awareAt)}</td>
                    <td>
                      <DeadlineList deadlines={i.deadlines} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
        <p class="muted">インシデントの対応は運営(プラットフォーム)が行います。お客様からのお問い合わせは、通知文書に記載の窓口をご案内ください。</p>
      </section>
    </AdminLayout>
  );
}

export function ShopIncidentPage(props: AdminPageFrame & { view: IncidentView; incidentShop: IncidentShopView; scope: ShopScope | null; documents: IncidentDocumentRow[] }) {
  const { incident, milestones, deadlines } = props.view;
  const base = `${adminBase(props.shop.slug)}/incidents/${incident.id}`;
  return (
    <AdminLayout {...props} title={`${incident.number} ${incident.title}`} active="incidents">
      <section class="panel" aria-labelledby="facts-h">
        <h2 id="facts-h">概要</h2>
        <p>
          状態: <strong>{STATUS_LABELS[incident.status]}</strong> · 認知 {formatJst(incident.aware_at)} · {SOURCE_LABELS[incident.source]}
        </p>
        {incident.summary && <p class="console-pre">{incident.summary}</p>}
        <p>
          このショップの露出期間: {formatJst(props.incidentShop.windowStart)} 〜 {formatJst(props.incidentShop.windowEnd)}
        </p>
        <h3>報告期限(日本時間)</h3>
        <DeadlineList deadlines={deadlines} />
      </section>
      <section class="panel" aria-labelledby="scope-h">
        <h2 id="scope-h">このショップの影響範囲</h2>
        {props.scope ? <ScopeCounts scope={props.scope} /> : <p class="muted">影響範囲を計算できませんでした。</p>}
      </section>
      <section class="panel" aria-labelledby="docs-h">
        <h2 id="docs-h">このショップの文書</h2>
        <DocumentTable documents={props.documents} hrefOf={(d) => `${base}/documents/${d.id}`} caption="このショップの文書" />
      </section>
      <section class="panel" aria-labelledby="timeline-h">
        <h2 id="timeline-h">経過</h2>
        <MilestoneList milestones={milestones} shopName={() => props.shop.display_name} />
      </section>
    </AdminLayout>
  );
}
