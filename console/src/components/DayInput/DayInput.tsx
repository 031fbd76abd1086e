import { useEffect, useId, useRef, type InputHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDay } from '../../format';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (value: string) =>
  DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange' | 'min' | 'max'> & {
  value: string;
  onChange: (day: string) => void;
  min?: string;
  max?: string;
};

/**
 * A calendar day in the console's language. The browser's date field speaks the browser's locale (a
 * French console showed "mm/dd/yyyy"); this one takes the unambiguous YYYY-MM-DD (the value the API
 * reads), says the expected form in the page's language, and reads the day back in words beside it.
 */
export function DayInput({ value, onChange, min, max, required, id, ...rest }: Props) {
  const { t, i18n } = useTranslation();
  const ref = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const valid = value === '' ? !required : isDay(value) && (!min || value >= min) && (!max || value <= max);
  const message =
    value === ''
      ? required
        ? t('dayInput.required')
        : ''
      : !isDay(value)
        ? t('dayInput.invalid')
        : valid
          ? ''
          : t('dayInput.outOfRange', {
              min: min ? formatDay(min, i18n.language) : '…',
              max: max ? formatDay(max, i18n.language) : '…',
            });
  useEffect(() => ref.current?.setCustomValidity(message), [message]);
  return (
    <>
      <input
        {...rest}
        ref={ref}
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('dayInput.placeholder')}
        pattern="\d{4}-\d{2}-\d{2}"
        size={12}
        required={required}
        value={value}
        aria-describedby={hintId}
        aria-invalid={value !== '' && !valid ? true : undefined}
        onChange={(e) => onChange(e.target.value.trim())}
      />
      <span id={hintId} className="muted" data-testid="day-input-reads">
        {value !== '' && isDay(value) ? formatDay(value, i18n.language) : t('dayInput.hint')}
      </span>
    </>
  );
}
