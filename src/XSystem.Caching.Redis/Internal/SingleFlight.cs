using System.Collections.Concurrent;

namespace XSystem.Caching.Redis.Internal;

/// <summary>
/// Runs at most one piece of work per key at a time in this process; concurrent callers for the same key await the
/// running one. A caller whose wait is cancelled leaves; when the caller that started the work cancels it, the
/// others start over instead of inheriting a cancellation they did not ask for.
/// </summary>
internal sealed class SingleFlight<TResult>
{
    private readonly ConcurrentDictionary<string, Task<TResult>> _running = new(StringComparer.Ordinal);

    public async ValueTask<TResult> RunAsync<TState>(string key, Func<string, TState, CancellationToken, Task<TResult>> work, TState state, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var mine = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<TResult> current = _running.GetOrAdd(key, mine.Task);
            if (current != mine.Task)
            {
                try
                {
                    return await current.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (current.IsCanceled && !cancellationToken.IsCancellationRequested)
                {
                    continue;
                }
            }

            try
            {
                TResult result = await work(key, state, cancellationToken).ConfigureAwait(false);
                mine.TrySetResult(result);
                return result;
            }
            catch (OperationCanceledException ex)
            {
                mine.TrySetCanceled(ex.CancellationToken);
                throw;
            }
            catch (Exception ex)
            {
                mine.TrySetException(ex);
                _ = mine.Task.Exception; // observed: the caller gets it rethrown; waiters, if any, get it too
                throw;
            }
            finally
            {
                _running.TryRemove(new KeyValuePair<string, Task<TResult>>(key, mine.Task));
            }
        }
    }
}
