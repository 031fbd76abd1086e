import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import styles from './Operations.module.css';

/** Replay every failed event whose error contains some text (say, once a product is fixed in Lightspeed). */
export function ReplayMatching({ onReplay }: { onReplay: (errorContains: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) onReplay(text.trim());
  };
  return (
    <form className={styles.form} onSubmit={submit}>
      <label htmlFor={id}>
        {t('ops.replayFilter')}
        <input id={id} type="text" value={text} maxLength={200} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit">{t('ops.replayMatching')}</button>
    </form>
  );
}
