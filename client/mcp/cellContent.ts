/** A cell's observation as the result of an MCP tool call: its output as MCP content, its end or its id to wait on. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CellResponse, ContentItem } from '../../schemas/index.js';

type Block = CallToolResult['content'][number];

export function cellResult(response: CellResponse): CallToolResult {
  const content: Block[] = response.items.map(contentBlock);
  const id = JSON.stringify(response.cellId);
  switch (response.status) {
    case 'completed':
      if (response.error !== null) return { content: [...content, { type: 'text', text: response.error }], isError: true };
      if (content.length === 0) content.push({ type: 'text', text: `(cell ${id} completed with no output)` });
      return { content };
    case 'yielded':
      content.push({
        type: 'text',
        text: `[cell ${id} is still running; call wait with {"cellId": ${id}} for more output and its result, or terminate to stop it]`,
      });
      return { content };
    case 'terminated':
      return { content: [...content, { type: 'text', text: `[cell ${id} was terminated${response.error === null ? '' : `: ${response.error}`}]` }], isError: true };
    case 'missing':
      return {
        content: [{ type: 'text', text: `No running cell ${id}: its result was already returned, or it never existed in this session.` }],
        isError: true,
      };
  }
}

/** One content item as an MCP block; images are the host's data: URLs split back into MIME type and base64. */
export function contentBlock(item: ContentItem): Block {
  if (item.type === 'text') return { type: 'text', text: item.text };
  const match = /^data:([^;,]*)(;base64)?,(.*)$/is.exec(item.imageUrl);
  if (match === null) return { type: 'text', text: `[image ${item.imageUrl.slice(0, 40)}...]` };
  const [, mime, base64, data] = match;
  return {
    type: 'image',
    mimeType: mime === '' ? 'application/octet-stream' : mime!,
    data: base64 === undefined ? Buffer.from(decodeURIComponent(data!)).toString('base64') : data!,
  };
}

/** A progress message for streamed items: text as it is, images named. */
export function progressText(items: readonly ContentItem[]): string {
  return items.map((item) => (item.type === 'text' ? item.text : `[image ${/^data:([^;,]*)/i.exec(item.imageUrl)?.[1] ?? ''}]`)).join('\n');
}
