import type { ReactNode } from 'react';
import form from '../../components/Form/Form.module.css';

/** A labelled field with the server's word on it, if any (400 issues by field). */
export function Field({ id, label, issue, wide, children }: { id: string; label: string; issue?: string; wide?: boolean; children: ReactNode }) {
  // A wide field (a select with long options) takes the form's whole row rather than cutting its text.
  return (
    <div className={form.field} style={wide ? { gridColumn: '1 / -1' } : undefined}>
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
