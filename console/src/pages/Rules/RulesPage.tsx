import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, type RulesDocument, type RulesPreview, type User } from '../../api/client';
import { DayInput } from '../../components/DayInput/DayInput';
import { Loading } from '../../components/Async/Loading';
import { CategoryTree } from '../../components/CategoryTree/CategoryTree';
import { TimeZoneNote } from '../../components/TimeZoneNote/TimeZoneNote';
import { formatDate, formatDay } from '../../format';
import styles from './RulesPage.module.css';
import { ServerError } from '../../components/ServerError/ServerError';
import { useMerchant, useReference, useRuleVersions, useRules } from '../../api/hooks';

const TENDERS = ['cash', 'card', 'gift_card', 'store_credit', 'loyalty', 'on_account', 'other'] as const;

const toggle = <T,>(list: T[], item: T, on: boolean): T[] => (on ? [...new Set([...list, item])] : list.filter((x) => x !== item));

/** The merchant's rules as a form, a preview of the draft over the last 30 days, and the version history. */
export function RulesPage({ user }: { user: User }) {
  const { t, i18n } = useTranslation();
  const { merchantId = '' } = useParams();
  const merchant = useMerchant(merchantId);
  const rules = useRules(merchantId);
  const versions = useRuleVersions(merchantId);
  const reference = useReference(merchantId);
  const [draft, setDraft] = useState<RulesDocument | null>(null);
  const [preview, setPreview] = useState<RulesPreview | null>(null);
  // Kept as a key (or the server's text) so it follows a language switch.
  const [notice, setNotice] = useState<{ saved: number } | { error: unknown } | null>(null);
  const [productQuery, setProductQuery] = useState('');
  const canEdit = user.role === 'admin';

  // A sale's decision links to the version it used (#v3): show that version once the history is here.
  useEffect(() => {
    const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    if (target) {
      target.scrollIntoView({ block: 'start' });
      target.focus();
    }
  }, [versions.data, draft !== null]);

  useEffect(() => {
    if (!rules.data) return;
    const { version: _version, ...document } = rules.data;
    setDraft(document);
  }, [rules.data]);

  const products = useMemo(() => {
    const q = productQuery.trim().toLowerCase();
    const all = Object.entries(reference.data?.products ?? {});
    const chosen = all.filter(([id]) => draft?.exemptions.productIds.includes(id));
    const found = q ? all.filter(([id, name]) => name.toLowerCase().includes(q) || id === q).slice(0, 25) : [];
    return [...new Map([...chosen, ...found]).entries()];
  }, [reference.data, productQuery, draft]);

  if (!merchant.data || !rules.data || !draft) return <Loading error={merchant.error ?? rules.error} />;
  const set = (patch: Partial<RulesDocument>) => {
    setDraft({ ...draft, ...patch });
    setPreview(null);
  };
  const act = async (what: 'preview' | 'save') => {
    setNotice(null);
    try {
      if (what === 'preview') setPreview(await api.previewRules(merchantId, draft));
      else {
        const saved = await api.saveRules(merchantId, draft);
        setNotice({ saved: saved.version });
        setPreview(null);
        rules.reload();
        versions.reload();
      }
    } catch (error) {
      setNotice({ error });
    }
  };
  // A diff of id lists reads best with names: the rules store Lightspeed ids.
  const named = (path: string, value: unknown): string => {
    const table =
      path === 'customerSegments.excluded'
        ? reference.data?.segments
        : path === 'exemptions.categoryIds'
          ? reference.data?.categories
          : path === 'exemptions.productIds'
            ? reference.data?.products
            : undefined;
    if (table && Array.isArray(value)) return value.length ? value.map((id) => table[String(id)] ?? String(id)).join(', ') : t('common.none');
    if (path === 'tenders.excluded' && Array.isArray(value))
      return value.length ? value.map((kind) => t(`rules.tender.${String(kind)}`)).join(', ') : t('common.none');
    if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
    if (value === null || value === undefined) return '—';
    return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  };
  const segments = Object.entries(reference.data?.segments ?? {});
  // The series' own word (X-Series: customer groups; R-Series: customer types), as the sale page says it.
  const segmentsLabel = merchant.data?.series ? t(`rules.excludedSegmentsBySeries.${merchant.data.series}`) : t('rules.excludedSegments');
  const ro = !canEdit;

  return (
    <>
      <h1>{t('rules.title', { name: merchant.data.name })}</h1>
      <TimeZoneNote zone={merchant.data.timezone} />
      <p className="muted">{t('rules.current', { version: rules.data.version })}</p>
      {ro && <p role="note">{t('rules.readOnly')}</p>}
      <form className="card" aria-label={t('nav.rules')} onSubmit={(e) => e.preventDefault()}>
        <div className={styles.grid}>
          <fieldset className={styles.group} disabled={ro}>
            <legend>{segmentsLabel}</legend>
            {segments.length === 0 && <p className="muted">{t('rules.none')}</p>}
            {segments.map(([id, name]) => (
              <label key={id} className={styles.check}>
                <input
                  type="checkbox"
                  checked={draft.customerSegments.excluded.includes(id)}
                  onChange={(e) =>
                    set({ customerSegments: { ...draft.customerSegments, excluded: toggle(draft.customerSegments.excluded, id, e.target.checked) } })
                  }
                />
                {name}
              </label>
            ))}
          </fieldset>
          <fieldset className={styles.group} disabled={ro}>
            <legend>{t('rules.exemptCategories')}</legend>
            {Object.keys(reference.data?.categoryNames ?? {}).length === 0 ? (
              <p className="muted">{t('rules.none')}</p>
            ) : (
              <>
                {draft.exemptions.categoryIds.length > 0 && (
                  <ul className={styles.chips} data-testid="selected-categories" aria-label={t('rules.selectedCategories')}>
                    {draft.exemptions.categoryIds.map((id) => (
                      <li key={id} className={styles.chip}>
                        {reference.data?.categories[id] ?? id}
                      </li>
                    ))}
                  </ul>
                )}
                <CategoryTree
                  names={reference.data?.categoryNames ?? {}}
                  parents={reference.data?.categoryParents ?? {}}
                  selected={draft.exemptions.categoryIds}
                  disabled={ro}
                  onChange={(id, on) => set({ exemptions: { ...draft.exemptions, categoryIds: toggle(draft.exemptions.categoryIds, id, on) } })}
                />
              </>
            )}
          </fieldset>
          <fieldset className={styles.group} disabled={ro}>
            <legend>{t('rules.exemptProducts')}</legend>
            <label className={styles.field}>
              {t('rules.productSearch')}
              <input type="search" value={productQuery} onChange={(e) => setProductQuery(e.target.value)} />
            </label>
            {products.map(([id, name]) => (
              <label key={id} className={styles.check}>
                <input
                  type="checkbox"
                  checked={draft.exemptions.productIds.includes(id)}
                  onChange={(e) => set({ exemptions: { ...draft.exemptions, productIds: toggle(draft.exemptions.productIds, id, e.target.checked) } })}
                />
                {name}
              </label>
            ))}
          </fieldset>
          <fieldset className={styles.group} disabled={ro}>
            <legend>{t('rules.tenders')}</legend>
            {TENDERS.map((kind) => (
              <label key={kind} className={styles.check}>
                <input
                  type="checkbox"
                  checked={draft.tenders.excluded.includes(kind)}
                  onChange={(e) => set({ tenders: { excluded: toggle(draft.tenders.excluded, kind, e.target.checked) } })}
                />
                {t(`rules.tender.${kind}`)}
              </label>
            ))}
          </fieldset>
        </div>
        <fieldset className={styles.settings} disabled={ro}>
          <label className={styles.check}>
            <input
              type="checkbox"
              checked={draft.autoRewards.enabled}
              onChange={(e) => set({ autoRewards: { ...draft.autoRewards, enabled: e.target.checked } })}
            />
            {t('rules.autoRewards')}
          </label>
          <label className={styles.field}>
            {t('rules.startDate')}
            <DayInput
              value={draft.autoRewards.startDate ?? ''}
              onChange={(value) => set({ autoRewards: { enabled: draft.autoRewards.enabled, ...(value ? { startDate: value } : {}) } })}
            />
          </label>
          <label className={styles.field}>
            {t('rules.delayDays')}
            <input type="number" min={0} max={3650} value={draft.delayDays} onChange={(e) => set({ delayDays: Number(e.target.value) })} />
          </label>
          <label className={styles.field}>
            {t('rules.pointsPerStep')}
            <input
              type="number"
              min={1}
              value={draft.earn.pointsPerStep}
              onChange={(e) => set({ earn: { ...draft.earn, pointsPerStep: Number(e.target.value) } })}
            />
          </label>
          <label className={styles.field}>
            {t('rules.stepAmount')}
            <input type="number" min={1} value={draft.earn.stepAmount} onChange={(e) => set({ earn: { ...draft.earn, stepAmount: Number(e.target.value) } })} />
          </label>
          <label className={styles.field}>
            {t('rules.rounding')}
            <select value={draft.earn.rounding} onChange={(e) => set({ earn: { ...draft.earn, rounding: e.target.value === 'up' ? 'up' : 'down' } })}>
              <option value="down">{t('rules.roundDown')}</option>
              <option value="up">{t('rules.roundUp')}</option>
            </select>
          </label>
          <label className={styles.check}>
            <input type="checkbox" checked={draft.requireIdentity} onChange={(e) => set({ requireIdentity: e.target.checked })} />
            {t('rules.requireIdentity')}
          </label>
          <label className={styles.check}>
            <input type="checkbox" checked={draft.respectLightspeedLoyalty} onChange={(e) => set({ respectLightspeedLoyalty: e.target.checked })} />
            {t('rules.respectLightspeedLoyalty')}
          </label>
        </fieldset>
        <div className={styles.actions}>
          <button type="button" className={styles.secondary} onClick={() => void act('preview')}>
            {t('rules.preview')}
          </button>
          {canEdit && (
            <button type="button" className="primary" onClick={() => void act('save')}>
              {t('rules.save')}
            </button>
          )}
        </div>
        <p role="status" className={styles.notice}>
          {notice && 'saved' in notice && t('rules.saved', { version: notice.saved })}
        </p>
        {notice && 'error' in notice && <ServerError error={notice.error} />}
      </form>

      {preview && (
        <section className="card" aria-labelledby="preview-title">
          <h2 id="preview-title">{t('rules.previewTitle')}</h2>
          <p className={styles.summary}>
            {t('rules.previewSummary', {
              sales: t('rules.salesCount', { count: preview.salesEvaluated }),
              days: preview.days,
              before: t('common.points', { count: preview.pointsBefore }),
              after: t('common.points', { count: preview.pointsAfter }),
              customers: t('rules.customersAffected', { count: preview.customersAffected }),
            })}
          </p>
          <h3>{t('rules.changed', { count: preview.changedCount })}</h3>
          {preview.changed.length === 0 ? (
            <p>{t('rules.noChange')}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('rules.sale')}</th>
                  <th scope="col">{t('rules.now')}</th>
                  <th scope="col">{t('rules.draft')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.changed.map((c) => (
                  <tr key={c.saleId} data-sale={c.saleId}>
                    <td>
                      <Link to={`/merchants/${encodeURIComponent(merchantId)}/sales/${encodeURIComponent(c.saleId)}`}>{c.receipt ?? c.saleId}</Link>
                      <div className="muted">{formatDate(c.completedAt, i18n.language, merchant.data?.timezone)}</div>
                    </td>
                    <td>
                      {t(`status.${c.before.status ?? 'none'}`)} ({t('common.points', { count: c.before.points })})
                    </td>
                    <td>
                      <strong>
                        {t(`status.${c.after.status}`)} ({t('common.points', { count: c.after.points })})
                      </strong>
                      <ul>
                        {c.after.reasons.map((r, i) => (
                          <li key={i}>
                            {t(`reasons.${r.code}`, {
                              ...r.data,
                              segmentName: r.names.segment ?? r.data.segmentName,
                              availableAt: formatDay(r.data.availableAt as string | undefined, i18n.language, merchant.data?.timezone),
                            })}
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t('rules.history')}</h2>
        <ol reversed>
          {(versions.data?.versions ?? []).map((v) => (
            <li key={v.version} id={`v${v.version}`} data-version={v.version} tabIndex={-1}>
              <strong>
                {t('rules.versionBy', { version: v.version, by: v.createdBy, at: formatDate(v.createdAt, i18n.language, merchant.data?.timezone) })}
              </strong>
              {v.changes.length === 0 ? (
                <p className="muted">{t('rules.noChanges')}</p>
              ) : (
                <ul className={styles.diff}>
                  {v.changes.map((c) => (
                    <li key={c.path}>
                      {c.path === 'customerSegments.excluded' ? segmentsLabel : t(`rules.field.${c.path}`, { defaultValue: c.path })}
                      {t('common.colon')}
                      <span className={styles.before}>{named(c.path, c.before)}</span> → <span className={styles.after}>{named(c.path, c.after)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
