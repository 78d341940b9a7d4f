import nunjucks from 'nunjucks';

/**
 * The e-mails' templates (nunjucks, as the web pages use): one plain-text and one HTML template
 * per mail, filled from a view model the composers build. HTML escapes every value; text keeps
 * them as written. Kept in code rather than files so each app's bundle carries them.
 */
const textEnvironment = new nunjucks.Environment(null, { autoescape: false, trimBlocks: true, lstripBlocks: true });
const htmlEnvironment = new nunjucks.Environment(null, { autoescape: true, trimBlocks: true, lstripBlocks: true });

export interface MailTemplate<M> {
  render(model: M): { readonly text: string; readonly html: string };
}

function mailTemplate<M extends object>(text: string, html: string): MailTemplate<M> {
  const textTemplate = nunjucks.compile(text, textEnvironment);
  const htmlTemplate = nunjucks.compile(html, htmlEnvironment);
  return { render: (model) => ({ text: textTemplate.render(model), html: htmlTemplate.render(model) }) };
}

export interface DigestMailModel {
  readonly name: string;
  readonly runDate: string;
  readonly sections: ReadonlyArray<{
    readonly title: string;
    readonly items: ReadonlyArray<{ readonly title: string; readonly directorate: string; readonly description: string; readonly link: string }>;
  }>;
  readonly howToRespond: string;
  readonly yourReturns: string;
}

export const DIGEST_MAIL = mailTemplate<DigestMailModel>(
  `Dear {{ name }},

Your performance returns as of {{ runDate }}:
{% for section in sections %}

{{ section.title }} ({{ section.items.length }})
{% for item in section.items %}
- {{ item.title }} ({{ item.directorate }}): {{ item.description }}
  {{ item.link }}
{% endfor %}
{% endfor %}

{{ howToRespond }} Everything you answer for:
  {{ yourReturns }}

You receive this digest because you own, contribute to or review these returns.
`,
  `<!doctype html><html><body><p>Dear {{ name }},</p>
<p>Your performance returns as of {{ runDate }}:</p>
{% for section in sections %}
<h2>{{ section.title }} ({{ section.items.length }})</h2>
<ul>
{% for item in section.items %}
<li><a href="{{ item.link }}">{{ item.title }}</a> ({{ item.directorate }}): {{ item.description }}</li>
{% endfor %}
</ul>
{% endfor %}
<p>{{ howToRespond }} <a href="{{ yourReturns }}">See all your returns</a>.</p>
<p>You receive this digest because you own, contribute to or review these returns.</p>
</body></html>`,
);

export interface EscalationMailModel {
  readonly title: string;
  readonly directorate: string;
  readonly level: string;
  readonly escalatedOn: string;
  readonly reason: string;
  readonly link: string;
  readonly copied: string;
}

export const ESCALATION_MAIL = mailTemplate<EscalationMailModel>(
  `{{ title }} ({{ directorate }}) has been escalated to {{ level }} on {{ escalatedOn }}.

Reason: {{ reason }}

Open the return to see the figure and its history, and to act on it: {{ link }}

Copied to: {{ copied }}
`,
  `<!doctype html><html><body><p><a href="{{ link }}">{{ title }}</a> ({{ directorate }}) has been escalated to {{ level }} on {{ escalatedOn }}.</p>
<p>Reason: {{ reason }}</p>
<p><a href="{{ link }}">Open the return</a> to see the figure and its history, and to act on it.</p>
<p>Copied to: {{ copied }}</p>
</body></html>`,
);
