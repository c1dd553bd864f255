import { Layout } from './layout.tsx';

export interface ErrorPageProps {
  status: number;
  message: string;
  requestId: string;
  stylesheetUrl: string;
  fieldErrors?: Readonly<Record<string, string>>;
}

const TITLES: Record<number, string> = {
  400: '入力内容に誤りがあります',
  403: 'アクセスできません',
  404: 'ページが見つかりません',
  405: 'この操作はできません',
  413: 'データが大きすぎます',
  415: '対応していない形式です',
  429: 'しばらくお待ちください',
  500: 'エラーが発生しました',
  503: 'ただいま利用できません',
};

/** Never shows a stack trace or internal detail: only the status, a message and a reference. */
export function ErrorPage(props: ErrorPageProps) {
  const title = TITLES[props.status] ?? TITLES[props.status >= 500 ? 500 : 400]!;
  const fieldErrors = Object.entries(props.fieldErrors ?? {});
  return (
    <Layout title={`${title} | Oroshi`} brand={{ name: 'Oroshi', href: '/' }} stylesheetUrl={props.stylesheetUrl}>
      <section class="panel panel--narrow error-page">
        <p class="error-page__code">{props.status}</p>
        <h1>{title}</h1>
        <p>{props.message}</p>
        {fieldErrors.length > 0 && (
          <ul class="alert alert--error">
            {fieldErrors.map(([field, msg]) => (
              <li key={field}>{msg}</li>
            ))}
          </ul>
        )}
        <p>
          <a href="/">トップページへ戻る</a>
        </p>
        <p class="error-page__ref">お問い合わせ番号: {props.requestId}</p>
      </section>
    </Layout>
  );
}
