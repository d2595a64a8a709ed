/** `promise`'s value, or undefined if it has not settled within `timeoutMs`. */
export function withDeadline<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, timeoutMs));
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
