import type { ReactNode } from 'react';
import form from '../../components/Form/Form.module.css';

/** A labelled field with the server's word on it, if any (400 issues by field). */
export function Field({ id, label, issue, children }: { id: string; label: string; issue?: string; children: ReactNode }) {
  return (
    <div className={form.field}>
      <label htmlFor={id}>{label}</label>
      {children}
      {issue && (
        <span id={`${id}-issue`} className="error" role="alert">
          {issue}
        </span>
      )}
    </div>
  );
}
