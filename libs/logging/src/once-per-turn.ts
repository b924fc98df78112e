/**
 * `run`, called at most once per event-loop turn however often the returned function is called
 * during it: at the turn's end (`setImmediate`), so what the turn produced leaves together. The
 * output side of the log and of the NATS connection use it to make one system call per turn.
 */
export function oncePerTurn(run: () => void): () => void {
  let scheduled = false;
  const runNow = () => {
    scheduled = false;
    run();
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(runNow);
  };
}
