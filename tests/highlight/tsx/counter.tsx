import { useState } from "react";
// <- keyword.control.import

type Props = { label: string; initial?: number };
// <- keyword.storage.type
//   ^ type
//                    ^ type.builtin

/** A button that counts its clicks. */
// <- comment.documentation
export function Counter({ label, initial = 0 }: Props) {
//              ^ function
//                        ^ variable.parameter
  const [count, setCount] = useState<number>(initial);
//                          ^ function
//                                   ^ type.builtin
  const onClick = () => setCount((n) => n + 1);
//      ^ function
//                                ^ variable.parameter

  return (
    <div className="counter">
//  ^ punctuation.bracket
//   ^ tag
//       ^ attribute
//                 ^ string
      <button onClick={onClick} disabled={count >= 10}>
//     ^ tag
//                    ^ punctuation.special
        {label}: {count}
//       ^ variable
      </button>
//    ^ punctuation.bracket
//      ^ tag
      <Badge.Small value={count} />
//     ^ tag
//                               ^ punctuation.bracket
    </div>
  );
}
