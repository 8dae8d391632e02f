// The built-in customer-care wording (issue #18): the automatic answers, the welcome and the
// rating question a workspace uses until it writes its own (設定 → 営業時間). Plain data, read by
// the use cases and shown by the settings page as the placeholder of each text.
import type { Locale } from '../db/schema'

/** The built-in wording, in the workspace's language, used while a text is left empty. */
export function defaultCareTexts(locale: Locale) {
  return locale === 'ja'
    ? {
        autoAnswer:
          'メッセージをありがとうございます。{{shop_name}}です。\n内容を確認し、{{next_opening}}以降、担当者より順にご返信いたします。通常、ご返信には1営業日いただいております。',
        welcome:
          '{{customer_name}} 様\n\nこのたびはご注文ありがとうございます。{{shop_name}}です。\nこのチャットボードで、ご注文内容や校正のご確認をさせていただきます。ご質問があれば、こちらかお知らせメールへのご返信でお気軽にお寄せください。',
        autoAnswerOpen:
          'メッセージをありがとうございます。{{shop_name}}です。\nただいま担当者が内容を確認しております。順にご返信いたしますので、今しばらくお待ちください。',
        ratingQuestion: 'ご対応はいかがでしたか？',
      }
    : {
        autoAnswer:
          'Thank you for your message. This is {{shop_name}}.\nWe will read it and answer from {{next_opening}}; we usually answer within one business day.',
        welcome:
          'Dear {{customer_name}},\n\nThank you for your order. This is {{shop_name}}.\nOn this board we will settle the details and proofs of your order with you. Ask anything here, or simply reply to our emails.',
        autoAnswerOpen:
          'Thank you for your message. This is {{shop_name}}.\nA member of our team is reading it and will answer you shortly.',
        ratingQuestion: 'How did we do?',
      }
}
