/**
 * Runs async tasks one at a time, in call order. Used around transaction sends so that concurrent requests from
 * one account never prepare the same nonce.
 * @example const send = serialQueue(); await send(() => writeContract(client, args))
 */
export function serialQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => {});
    return run;
  };
}
