import type { ComponentChildren } from 'preact';
import { PREFECTURES } from '../../domains/shipping/prefectures.ts';

/** Form pieces shared by the account screens: every field shows its label, hint and error. */

export type FormValues = Readonly<Record<string, string | undefined>>;
export type FieldErrors = Readonly<Record<string, string>>;

export interface FormState {
  values: FormValues;
  errors: FieldErrors;
}

export const EMPTY_FORM: FormState = { values: {}, errors: {} };

/** Request body fields as strings (what the form re-shows), never passwords. */
export function typedValues(body: unknown, omit: readonly string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (typeof v === 'string' && !omit.includes(k) && k !== '_csrf') values[k] = v;
    }
  }
  return values;
}

interface FieldProps {
  name: string;
  label: string;
  form: FormState;
  type?: 'text' | 'email' | 'tel' | 'date' | 'password';
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  inputMode?: 'numeric' | 'tel' | 'email';
  maxLength?: number;
  /** data-* attribute for the postal-code fill script (e.g. 'postal-code', 'city'). */
  postal?: 'postal-code' | 'city' | 'address-line1';
  idPrefix?: string;
}

export function Field(props: FieldProps) {
  const id = `${props.idPrefix ?? 'f'}-${props.name}`;
  const error = props.form.errors[props.name];
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const postalAttr = props.postal ? { [`data-${props.postal}`]: '' } : {};
  return (
    <div class="field">
      <label for={id}>
        {props.label}
        {props.required && <span class="required">必須</span>}
      </label>
      {props.hint && (
        <span class="field__hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? '' : (props.form.values[props.name] ?? '')}
        required={props.required}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
        {...postalAttr}
      />
      {error && (
        <span class="field__error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

export function PrefectureSelect(props: { form: FormState; idPrefix?: string }) {
  const id = `${props.idPrefix ?? 'f'}-prefecture`;
  const error = props.form.errors.prefecture;
  const value = props.form.values.prefecture ?? '';
  return (
    <div class="field">
      <label for={id}>
        都道府県<span class="required">必須</span>
      </label>
      <select id={id} name="prefecture" required data-prefecture="" autocomplete="address-level1" aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        <option value="">選択してください</option>
        {PREFECTURES.map((p) => (
          <option key={p.code} value={p.name} selected={p.name === value}>
            {p.name}
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

/** Postal code, prefecture, city, street, building: filled from the postal code by the inventoried script. */
export function AddressFields(props: { form: FormState; idPrefix?: string }) {
  return (
    <div data-postal-scope="">
      <Field name="postal_code" label="郵便番号" form={props.form} required hint="入力すると住所を補完します（例: 150-0001）" autocomplete="postal-code" inputMode="numeric" maxLength={10} postal="postal-code" idPrefix={props.idPrefix} />
      <PrefectureSelect form={props.form} idPrefix={props.idPrefix} />
      <Field name="city" label="市区町村" form={props.form} required autocomplete="address-level2" maxLength={100} postal="city" idPrefix={props.idPrefix} />
      <Field name="address_line1" label="町域・番地" form={props.form} required autocomplete="address-line1" maxLength={200} postal="address-line1" idPrefix={props.idPrefix} />
      <Field name="address_line2" label="建物名・部屋番号" form={props.form} autocomplete="address-line2" maxLength={200} idPrefix={props.idPrefix} />
    </div>
  );
}

export function FormErrors(props: { form: FormState; message?: string }) {
  const entries = Object.entries(props.form.errors);
  if (entries.length === 0) return null;
  return (
    <div class="alert alert--error" role="alert">
      <p>{props.message ?? '入力内容を確認してください。'}</p>
      <ul>
        {entries.map(([k, v]) => (
          <li key={k}>{v}</li>
        ))}
      </ul>
    </div>
  );
}

export function Notice(props: { kind: 'ok' | 'info' | 'warn' | 'error'; children: ComponentChildren }) {
  return (
    <div class={`alert alert--${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}
