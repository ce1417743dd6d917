import React, { useState } from "react";
import { Button } from "./button";

interface CounterProps {
  start: number;
  label?: string;
}

/** Counts clicks. */
export function Counter({ start, label }: CounterProps) {
  const [count, setCount] = useState(start);
  return (
    <div className="counter">
      <Button onClick={() => setCount(count + 1)}>{label ?? "Add"}</Button>
      <Display value={count} />
    </div>
  );
}

const Display = ({ value }: { value: number }) => {
  return <span>{format(value)}</span>;
};

function format(value: number): string {
  return value.toLocaleString();
}
