import type { Block, Run } from "../../server/accountability/board-report";

/** The blocks of a report (board-report.ts) as a page: the same words as the Word file. */
export function ReportBlocks({ blocks, headingOffset = 0 }: { blocks: readonly Block[]; headingOffset?: 0 | 1 }) {
  return (
    <>
      {blocks.map((block, i) => (
        <BlockView key={i} block={block} headingOffset={headingOffset} />
      ))}
    </>
  );
}

function Runs({ runs }: { runs: readonly Run[] }) {
  return (
    <>
      {runs.map((r, i) =>
        r.rag ? (
          <span key={i} className={`rag rag--${r.rag}`}>
            {r.text}
          </span>
        ) : r.bold ? (
          <strong key={i}>{r.text}</strong>
        ) : r.italic ? (
          <em key={i}>{r.text}</em>
        ) : (
          <span key={i}>{r.text}</span>
        ),
      )}
    </>
  );
}

function BlockView({ block, headingOffset }: { block: Block; headingOffset: 0 | 1 }) {
  switch (block.kind) {
    case "heading": {
      const level = Math.min(block.level + headingOffset, 6);
      const Tag = `h${level}` as "h1";
      return <Tag>{block.text}</Tag>;
    }
    case "paragraph":
      return block.style === "quote" ? (
        <blockquote>
          <Runs runs={block.runs} />
        </blockquote>
      ) : (
        <p className={block.style === "note" ? "muted" : undefined}>
          <Runs runs={block.runs} />
        </p>
      );
    case "bullets":
      return (
        <ul>
          {block.items.map((item, i) => (
            <li key={i}>
              <Runs runs={item} />
            </li>
          ))}
        </ul>
      );
    case "table":
      return (
        <table className="table">
          <caption className="visually-hidden">{block.caption}</caption>
          <thead>
            <tr>
              {block.header.map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {block.rows.map((row, i) => (
              <tr key={i}>
                {row.map((c, j) => (
                  <td key={j}>
                    <Runs runs={c} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    default:
      // Cover, contents and page breaks belong to the printed file only.
      return null;
  }
}
