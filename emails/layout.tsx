/** @jsxImportSource react */
import {
  Body,
  Button,
  Container,
  Head,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from '@react-email/components'
import { Fragment, type CSSProperties, type ReactNode } from 'react'
import { withoutBidiControls } from '../src/shared/validation'

// Shared frame for every notification: one narrow card, system fonts that carry Japanese well,
// colours from the app (views/static/app.css) so the mail looks like the product it links to.

export const colors = {
  bg: '#f6f7f9',
  surface: '#ffffff',
  text: '#1f2430',
  muted: '#6b7280',
  line: '#e3e6eb',
  accent: '#2563eb',
  accentSoft: '#e8efff',
  orange: '#f97316',
  orangeSoft: '#fff4ec',
} as const

const fontFamily =
  "'Hiragino Sans', 'Hiragino Kaku Gothic ProN', 'Noto Sans JP', 'Noto Sans CJK JP', Meiryo, system-ui, -apple-system, 'Segoe UI', sans-serif"

/**
 * A one-line name from the shop's data (a person, a board, a shop, a file) inside a sentence:
 * isolated (`dir="auto"`, which mail clients keep more often than <bdi>), and without bidi
 * embeddings, overrides and isolates, which the plain-text part could not contain otherwise.
 * Such characters are refused on input already (src/shared/validation.ts); this covers rows
 * from before that and keeps labels around a name reading as written (issue #21).
 */
export function Name(props: { children: string }) {
  return <span dir="auto">{withoutBidiControls(props.children)}</span>
}

export function EmailFrame(props: {
  lang: string
  /** the inbox's one-line summary: bidi controls are dropped (nothing can isolate there) */
  preview: string
  brand: ReactNode
  children: ReactNode
  footer: ReactNode
}) {
  return (
    <Html lang={props.lang}>
      <Head />
      <Preview>{withoutBidiControls(props.preview).replace(/\s+/g, ' ')}</Preview>
      <Body style={{ backgroundColor: colors.bg, margin: 0, padding: '24px 0', fontFamily }}>
        <Container
          style={{ maxWidth: '560px', width: '100%', margin: '0 auto', padding: '0 12px' }}
        >
          <Text
            style={{
              margin: '0 0 12px',
              fontSize: '13px',
              fontWeight: 700,
              color: colors.muted,
              letterSpacing: '0.02em',
            }}
          >
            {props.brand}
          </Text>
          <Section
            style={{
              backgroundColor: colors.surface,
              border: `1px solid ${colors.line}`,
              borderRadius: '12px',
              padding: '28px 28px 24px',
            }}
          >
            {props.children}
          </Section>
          <Section style={{ padding: '16px 4px 0' }}>{props.footer}</Section>
        </Container>
      </Body>
    </Html>
  )
}

/** A message as a quoted card: "No.5 · 佐藤 彩 · 11月24日(火) 10:00", then the text, line breaks kept. */
/** A file named in an email (never attached: the board holds it). */
export interface EmailAttachment {
  name: string
  sizeLabel: string
}

export function MessageCard(props: {
  heading: ReactNode
  body: string
  tone?: 'staff' | 'guest'
  attachments?: EmailAttachment[]
}) {
  const guest = props.tone === 'guest'
  return (
    <Section
      style={{
        backgroundColor: guest ? colors.orangeSoft : colors.accentSoft,
        borderLeft: `4px solid ${guest ? colors.orange : colors.accent}`,
        borderRadius: '8px',
        padding: '14px 16px',
        margin: '18px 0 22px',
      }}
    >
      <Text style={{ margin: '0 0 8px', fontSize: '12px', color: colors.muted, fontWeight: 600 }}>
        {props.heading}
      </Text>
      {/* the message as typed, its own isolated block (dir="auto" also sets its direction) */}
      <Text
        dir="auto"
        style={{
          margin: 0,
          fontSize: '15px',
          lineHeight: '1.75',
          color: colors.text,
          wordBreak: 'break-word',
        }}
      >
        <MultiLine text={props.body} />
      </Text>
      {props.attachments?.length ? (
        <Text
          style={{ margin: '10px 0 0', fontSize: '13px', lineHeight: '1.6', color: colors.muted }}
        >
          {props.attachments.map((file, index) => (
            <Fragment key={index}>
              {index > 0 ? <br /> : null}
              {'📎 '}
              <Name>{file.name}</Name>
              {`（${file.sizeLabel}）`}
            </Fragment>
          ))}
        </Text>
      ) : null}
    </Section>
  )
}

/** Line breaks as <br/>: pre-wrap is ignored by several mail clients. */
export function MultiLine(props: { text: string }) {
  const lines = props.text.split('\n')
  return (
    <>
      {lines.map((line, index) => (
        <Fragment key={index}>
          {index > 0 ? <br /> : null}
          {line}
        </Fragment>
      ))}
    </>
  )
}

export function PrimaryButton(props: { href: string; children: ReactNode }) {
  return (
    <Section style={{ textAlign: 'center', margin: '4px 0 8px' }}>
      <Button
        href={props.href}
        style={{
          backgroundColor: colors.accent,
          color: '#ffffff',
          borderRadius: '8px',
          padding: '13px 28px',
          fontSize: '15px',
          fontWeight: 700,
          textDecoration: 'none',
          display: 'inline-block',
        }}
      >
        {props.children}
      </Button>
    </Section>
  )
}

export const paragraph: CSSProperties = {
  margin: '0 0 12px',
  fontSize: '15px',
  lineHeight: '1.75',
  color: colors.text,
}
export const small: CSSProperties = {
  margin: '0 0 6px',
  fontSize: '12px',
  lineHeight: '1.6',
  color: colors.muted,
}

/** A member email's footer: why they get it and where to switch it off. */
export function SettingsFooter(props: { text: string; link: string; href: string }) {
  return (
    <Text style={small}>
      {props.text}{' '}
      <Link href={props.href} style={{ color: colors.muted, textDecoration: 'underline' }}>
        {props.link}
      </Link>
    </Text>
  )
}

/** The address written out under the button, for mail clients that strip buttons. */
export function UrlLine(props: { href: string }) {
  return (
    <Text style={{ ...small, wordBreak: 'break-all' }}>
      <Link href={props.href} style={{ color: colors.accent }}>
        {props.href}
      </Link>
    </Text>
  )
}

export function Divider() {
  return <Hr style={{ borderColor: colors.line, margin: '20px 0 16px' }} />
}
