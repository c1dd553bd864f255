import type { ComponentChildren } from 'preact';

/** Form pieces of the staff consoles (shop and operator): labelled fields that show the typed value and its error. */

export type FieldErrors = Readonly<Record<string, string>>;
export type FormValues = Readonly<Record<string, string | undefined>>;

interface FieldProps {
  name: string;
  label: string;
  values?: FormValues;
  errors?: FieldErrors;
  type?: 'text' | 'email' | 'number' | 'date' | 'tel' | 'password';
  required?: boolean;
  hint?: string;
  inputMode?: 'numeric' | 'decimal' | 'text';
  autocomplete?: string;
  idPrefix?: string;
}

export function Field(props: FieldProps) {
  const id = `${props.idPrefix ?? 'f'}-${props.name}`;
  const error = props.errors?.[props.name];
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required && <span class="required">必須</span>}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? '' : (props.values?.[props.name] ?? '')}
        required={props.required}
        inputMode={props.inputMode}
        autocomplete={props.autocomplete ?? 'off'}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
      />
      {props.hint && (
        <span class="field__hint" id={hintId}>
          {props.hint}
        </span>
      )}
      {error && (
        <span class="field__error" id={errorId}>
          {error}
        </span>
      )}
    </div>
  );
}

interface SelectProps {
  name: string;
  label: string;
  options: readonly { value: string; label: string }[];
  values?: FormValues;
  errors?: FieldErrors;
  required?: boolean;
  idPrefix?: string;
  placeholder?: string;
}

export function SelectField(props: SelectProps) {
  const id = `${props.idPrefix ?? 'f'}-${props.name}`;
  const error = props.errors?.[props.name];
  const current = props.values?.[props.name] ?? '';
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required && <span class="required">必須</span>}
      </label>
      <select id={id} name={props.name} required={props.required} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
      {error && (
        <span class="field__error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

export function TextArea(props: { name: string; label: string; values?: FormValues; errors?: FieldErrors; required?: boolean; hint?: string; rows?: number; idPrefix?: string }) {
  const id = `${props.idPrefix ?? 'f'}-${props.name}`;
  const error = props.errors?.[props.name];
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required && <span class="required">必須</span>}
      </label>
      <textarea id={id} name={props.name} rows={props.rows ?? 3} required={props.required} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {props.values?.[props.name] ?? ''}
      </textarea>
      {props.hint && <span class="field__hint">{props.hint}</span>}
      {error && (
        <span class="field__error console-pre" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** The form-level error (`_form`) and a count of field errors, announced to screen readers. */
export function FormErrors(props: { errors?: FieldErrors }) {
  const errors = props.errors ?? {};
  const keys = Object.keys(errors);
  if (keys.length === 0) return null;
  return (
    <div class="alert alert--error" role="alert">
      {errors._form ?? '入力内容を確認してください。'}
      {errors._form && keys.length > 1 && <div>{'入力内容も確認してください。'}</div>}
    </div>
  );
}

export function Notice(props: { children?: ComponentChildren }) {
  if (!props.children) return null;
  return (
    <div class="alert alert--ok" role="status">
      {props.children}
    </div>
  );
}

export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  return d.toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export const yen = (n: number) => `${n.toLocaleString('ja-JP')}円`;
