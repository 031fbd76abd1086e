import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fb, type DistributorView, type OfferInput, type OfferView } from '../../api/client';
import { DayInput } from '../../components/DayInput/DayInput';
import { fieldIssues } from '../../api/errorText';
import { ServerError } from '../../components/ServerError/ServerError';
import { OfferSummary } from '../FrequentBuyerOffers/OfferSummary';
import { Field } from './Field';
import styles from './FrequentBuyerAdminPage.module.css';
import formStyles from '../../components/Form/Form.module.css';

const empty = {
  manufacturer: '',
  brand: '',
  name: '',
  purchasesRequired: '',
  products: '',
  freeItemRule: 'lesser_or_equal_value' as OfferView['freeItemRule'],
  startsOn: '',
  endsOn: '',
  eligible: [] as number[],
};

/** "upc:0649…" / "ean:…" / "sku:…", one per line: only the shape; the server says what a valid offer is. */
function products(text: string): OfferInput['products'] {
  return text
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [kind, ...rest] = line.split(':');
      const code = rest.join(':').trim();
      const key = (kind ?? '').trim().toLowerCase();
      return key === 'ean' ? { ean: code } : key === 'sku' ? { sku: code } : key === 'upc' ? { upc: code } : { upc: line };
    });
}

/** Offers: products, dates, the rule, eligible distributors. */
export function OffersSection({ offers, distributors, onChanged }: { offers: OfferView[]; distributors: DistributorView[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<unknown>(null);
  const issues = fieldIssues(t, error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await fb.createOffer({
        manufacturer: form.manufacturer,
        brand: form.brand,
        name: form.name,
        purchasesRequired: Number(form.purchasesRequired),
        products: products(form.products),
        freeItemRule: form.freeItemRule,
        startsOn: form.startsOn,
        ...(form.endsOn ? { endsOn: form.endsOn } : {}),
        eligibleDistributorIds: form.eligible,
      });
      setForm(empty);
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  const described = (key: string) => (issues[key] ? { 'aria-invalid': true as const, 'aria-describedby': `offer-${key}-issue` } : {});
  const text = (key: 'manufacturer' | 'brand' | 'name' | 'purchasesRequired' | 'startsOn' | 'endsOn', type = 'text') => (
    <Field id={`offer-${key}`} label={t(`fb.admin.offer.${key}`)} issue={issues[key]}>
      <input id={`offer-${key}`} type={type} value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} {...described(key)} />
    </Field>
  );
  return (
    <section aria-labelledby="offers">
      <h2 id="offers">{t('fb.admin.offers')}</h2>
      {offers.map((o) => (
        <article key={o.id} className="card" aria-labelledby={`admin-offer-${o.id}`}>
          <h3 id={`admin-offer-${o.id}`}>{o.name}</h3>
          <OfferSummary offer={o} />
        </article>
      ))}
      <form className={`card ${styles.form}`} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-offer">
        <h3 id="new-offer" className={styles.full}>
          {t('fb.admin.newOffer')}
        </h3>
        {text('manufacturer')}
        {text('brand')}
        {text('name')}
        {text('purchasesRequired', 'number')}
        {/* Radios, not a select: a select cannot wrap, and its long sentences were cut at 390 px. */}
        <fieldset
          className={`${formStyles.field} ${styles.full} ${styles.choices}`}
          aria-describedby={issues.freeItemRule ? 'offer-freeItemRule-issue' : undefined}
        >
          <legend>{t('fb.admin.offer.freeItemRule')}</legend>
          {(['lesser_or_equal_value', 'least_value'] as const).map((rule) => (
            <label key={rule} className={styles.choice}>
              <input
                type="radio"
                name="offer-freeItemRule"
                value={rule}
                checked={form.freeItemRule === rule}
                onChange={() => setForm({ ...form, freeItemRule: rule })}
              />
              <span>{t(`fb.freeItemRule.${rule}`)}</span>
            </label>
          ))}
          {issues.freeItemRule && (
            <span id="offer-freeItemRule-issue" className="error" role="alert">
              {issues.freeItemRule}
            </span>
          )}
        </fieldset>
        <Field id="offer-startsOn" label={t('fb.admin.offer.startsOn')} issue={issues.startsOn}>
          <DayInput id="offer-startsOn" value={form.startsOn} onChange={(startsOn) => setForm({ ...form, startsOn })} {...described('startsOn')} />
        </Field>
        <Field id="offer-endsOn" label={t('fb.admin.offer.endsOn')} issue={issues.endsOn}>
          <DayInput
            id="offer-endsOn"
            value={form.endsOn}
            min={form.startsOn || undefined}
            onChange={(endsOn) => setForm({ ...form, endsOn })}
            {...described('endsOn')}
          />
        </Field>
        <Field id="offer-products" label={t('fb.admin.offer.products')} issue={issues.products}>
          <textarea
            id="offer-products"
            rows={3}
            value={form.products}
            onChange={(e) => setForm({ ...form, products: e.target.value })}
            {...described('products')}
          />
        </Field>
        <fieldset className={styles.full} aria-describedby={issues.eligibleDistributorIds ? 'offer-eligible-issue' : undefined}>
          <legend>{t('fb.admin.offer.eligible')}</legend>
          {distributors
            .filter((d) => !d.isHolding)
            .map((d) => (
              <label key={d.id} className={styles.check}>
                <input
                  type="checkbox"
                  checked={form.eligible.includes(d.id)}
                  onChange={(e) => setForm({ ...form, eligible: e.target.checked ? [...form.eligible, d.id] : form.eligible.filter((id) => id !== d.id) })}
                />
                {d.name} ({d.regions.join(', ')})
              </label>
            ))}
          {issues.eligibleDistributorIds && (
            <span id="offer-eligible-issue" className="error" role="alert">
              {issues.eligibleDistributorIds}
            </span>
          )}
        </fieldset>
        <div className={styles.full}>
          <button type="submit" className="primary">
            {t('fb.admin.addOffer')}
          </button>
          {Object.keys(issues).length === 0 && <ServerError error={error} />}
        </div>
      </form>
    </section>
  );
}
