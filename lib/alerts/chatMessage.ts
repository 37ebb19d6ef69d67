// The two chat formats a webhook can speak (docs/architecture.md §9.4), built one way for every alert:
//  - slack: an incoming-webhook message (`text` fallback plus Block Kit sections);
//  - teams: a message with an Adaptive Card attachment (what Teams Workflows' "post to a channel when a webhook
//    request is received" accepts; the retired Office 365 connectors' MessageCard is not used).
// Values from telemetry (device and process names) and from relay lists (nicknames, countries) are untrusted: each
// message's text is written by functions that receive the format's escape and apply it to every such value, so a
// device called "<https://evil|click>" cannot become a Slack link, nor one called "[sign in](https://evil)" a Teams one.

export type Escape = (text: string) => string;

export const slackEscape: Escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Adaptive Card TextBlock Markdown: links, emphasis and code need these; a backslash makes each literal. */
export const teamsEscape: Escape = (text) => text.replace(/[\\`*_[\]()~<>!]/g, '\\$&');

export interface ChatMessage {
  headline: (escape: Escape) => string;
  lines: (escape: Escape) => string[];
  /** Lines are items of a list (bulleted in Slack). */
  list?: boolean;
  /** A last, quieter line ("…and 5 more"): no untrusted values. */
  note?: string;
  link: string | null;
  linkTitle: string;
}

const SLACK_SECTION_CHARS = 2900; // Block Kit caps a section's text at 3000

export function chatPayload(format: 'slack' | 'teams', message: ChatMessage): Record<string, unknown> {
  if (format === 'slack') {
    const headline = message.headline(slackEscape);
    const body = [
      ...message.lines(slackEscape).map((line) => (message.list ? `• ${line}` : line)),
      ...(message.note ? [message.note] : []),
    ].join('\n');
    return {
      text: headline,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${headline}*` } },
        ...(body ? [{ type: 'section', text: { type: 'mrkdwn', text: body.slice(0, SLACK_SECTION_CHARS) } }] : []),
        ...(message.link
          ? [
              {
                type: 'actions',
                elements: [
                  { type: 'button', text: { type: 'plain_text', text: message.linkTitle }, url: message.link },
                ],
              },
            ]
          : []),
      ],
    };
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: message.headline(teamsEscape), weight: 'Bolder', size: 'Medium', wrap: true },
            ...message.lines(teamsEscape).map((text) => ({ type: 'TextBlock', text, wrap: true, spacing: 'Small' })),
            ...(message.note ? [{ type: 'TextBlock', text: message.note, isSubtle: true }] : []),
          ],
          ...(message.link
            ? { actions: [{ type: 'Action.OpenUrl', title: message.linkTitle, url: message.link }] }
            : {}),
        },
      },
    ],
  };
}
