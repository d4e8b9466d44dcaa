using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Text;
using XSystem.Ipc.Internal;

namespace XSystem.Ipc;

/// <summary>One worker process of a <see cref="ProcessPool"/>: its pipe, its in-flight tasks, a pump that sends queued tasks and a reader that completes them.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The semaphores never allocate wait handles and the token source has no timer; the pipe (under the BufferedStream) is disposed when the worker ends.")]
internal sealed class PoolWorker
{
    private readonly ProcessPool _pool;
    private readonly Process _process;
    private readonly NamedPipeServerStream _pipe;
    private readonly BufferedStream _output;
    private readonly FrameReader _reader;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, PoolWorkItem> _inFlight = new();
    private readonly CancellationTokenSource _stopPump = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _channel;
    private Task _pump = Task.CompletedTask;
    private volatile bool _dead;
    private volatile string? _killReason;
    private int _retiring;
    private long _completed;

    private PoolWorker(ProcessPool pool, Process process, NamedPipeServerStream pipe, FrameReader reader, string channel)
    {
        _pool = pool;
        _process = process;
        _pipe = pipe;
        _reader = reader;
        _channel = channel;
        ProcessId = process.Id;
        _output = new BufferedStream(pipe, 64 * 1024);
        _slots = new SemaphoreSlim(pool.Options.MaxInFlightPerWorker, pool.Options.MaxInFlightPerWorker);
    }

    public int ProcessId { get; }

    public int InFlightCount => _inFlight.Count;

    private bool Retiring => Volatile.Read(ref _retiring) != 0;

    public static async Task<PoolWorker> StartAsync(ProcessPool pool, CancellationToken cancellationToken)
    {
        ProcessPoolOptions options = pool.Options;
        string pipeName = "xsp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..16];
        var server = new NamedPipeServerStream(pipeName, PipeDirection.InOut, 1, PipeTransmissionMode.Byte, PipeOptions.Asynchronous);
        Process? process = null;
        try
        {
            var info = new ProcessStartInfo(options.WorkerFileName) { UseShellExecute = false };
            if (options.WorkingDirectory is not null)
            {
                info.WorkingDirectory = options.WorkingDirectory;
            }

            foreach (string argument in options.WorkerArguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.ArgumentList.Add(PoolProtocol.PipeArgument);
            info.ArgumentList.Add(pipeName);
            foreach (KeyValuePair<string, string?> variable in options.Environment)
            {
                if (variable.Value is null)
                {
                    info.Environment.Remove(variable.Key);
                }
                else
                {
                    info.Environment[variable.Key] = variable.Value;
                }
            }

            process = Process.Start(info) ?? throw new InvalidOperationException($"The worker '{options.WorkerFileName}' did not start.");
            string channel = $"process-pool worker {process.Id} ('{options.WorkerFileName}')";
            using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startup.CancelAfter(options.WorkerStartTimeout);
            Task connect = server.WaitForConnectionAsync(startup.Token);
            Task exited = process.WaitForExitAsync(startup.Token);
            await Task.WhenAny(connect, exited).ConfigureAwait(false);
            if (!connect.IsCompletedSuccessfully)
            {
                await startup.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(connect, exited).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw process.HasExited
                    ? new WorkerCrashedException($"The {channel} exited with code {process.ExitCode} before it connected to the pool. Check that the program calls ProcessPoolWorker.RunAsync(args, ...) and passes on its arguments.") { WorkerProcessId = process.Id, ExitCode = process.ExitCode }
                    : new WorkerCrashedException($"The {channel} did not connect to the pool within {options.WorkerStartTimeout}. Check that the program calls ProcessPoolWorker.RunAsync(args, ...), or raise WorkerStartTimeout on a slow machine.") { WorkerProcessId = process.Id };
            }

            var reader = new FrameReader(server, options.MaxFrameBytes, channel);
            ReadOnlyMemory<byte>? hello;
            try
            {
                hello = await reader.ReadFrameAsync(startup.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MessageFrameException or EndOfStreamException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new WorkerCrashedException($"The {channel} did not greet the pool with a valid hello frame: {ex.Message}", ex) { WorkerProcessId = process.Id };
            }

            if (hello is null)
            {
                throw new WorkerCrashedException($"The {channel} closed its pipe before greeting the pool.") { WorkerProcessId = process.Id };
            }

            (FrameKind kind, _, ReadOnlyMemory<byte> rest) = ParseOrCrash(hello.Value, channel, process.Id);
            if (kind != FrameKind.Hello || !rest.Span.SequenceEqual(PoolProtocol.Magic))
            {
                throw new WorkerCrashedException($"The {channel} sent a {kind} frame where the hello frame was expected; it is not an XSystem ProcessPoolWorker.") { WorkerProcessId = process.Id };
            }

            return new PoolWorker(pool, process, server, reader, channel);
        }
        catch
        {
            if (process is not null)
            {
                KillQuietly(process);
                process.Dispose();
            }

            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void Run()
    {
        _pump = PumpAsync();
        _ = ReadLoopAsync();
    }

    public void CheckTimeouts(long now)
    {
        foreach (PoolWorkItem item in _inFlight.Values)
        {
            if (now >= item.Deadline && _inFlight.TryRemove(item.Id, out _))
            {
                _killReason = $"it was killed because task {item.Id} (handler '{item.Handler}') ran longer than its timeout of {item.Timeout}";
                _dead = true; // no new task may reach this worker
                Kill();
                _pool.Fail(item, new TimeoutException($"Task {item.Id} (handler '{item.Handler}') did not finish within {item.Timeout} on {_channel}; the worker was killed and replaced."));
                return;
            }
        }
    }

    public long ResidentBytes()
    {
        try
        {
            string statm = File.ReadAllText($"/proc/{ProcessId}/statm");
            string[] fields = statm.Split(' ');
            return fields.Length > 1 && long.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out long pages)
                ? pages * Environment.SystemPageSize
                : 0;
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    public void BeginRetire()
    {
        if (Interlocked.Exchange(ref _retiring, 1) != 0 || _dead)
        {
            return;
        }

        _pool.OnRetiring();
        _stopPump.Cancel();
        _ = RetireAsync();
    }

    public async Task ShutdownAsync(TimeSpan grace)
    {
        Interlocked.Exchange(ref _retiring, 1);
        await _stopPump.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        await SendShutdownAsync().ConfigureAwait(false);
        try
        {
            await _ended.Task.WaitAsync(grace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _killReason = "it did not exit within " + grace.ToString() + " of the pool's shutdown request";
            Kill();
            await _ended.Task.ConfigureAwait(false);
        }
    }

    private async Task RetireAsync()
    {
        await _pump.ConfigureAwait(false);
        if (_inFlight.IsEmpty)
        {
            _idle.TrySetResult();
        }

        await Task.WhenAny(_idle.Task, _ended.Task).ConfigureAwait(false);
        await SendShutdownAsync().ConfigureAwait(false);
    }

    private async Task SendShutdownAsync()
    {
        if (_dead)
        {
            return;
        }

        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            var frame = new byte[FrameReader.HeaderBytes + PoolProtocol.PrefixBytes];
            frame[0] = PoolProtocol.PrefixBytes;
            frame[FrameReader.HeaderBytes] = (byte)FrameKind.Shutdown;
            await _output.WriteAsync(frame).ConfigureAwait(false);
            await _output.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Already gone.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task PumpAsync()
    {
        TimeProvider time = _pool.Options.TimeProvider;
        try
        {
            while (!_dead && !Retiring)
            {
                await _slots.WaitAsync(_stopPump.Token).ConfigureAwait(false);
                if (!await _pool.WaitForQueuedAsync(_stopPump.Token).ConfigureAwait(false))
                {
                    return;
                }

                bool wrote = false;
                await _writeLock.WaitAsync(_stopPump.Token).ConfigureAwait(false);
                try
                {
                    bool holding = true;
                    while (holding)
                    {
                        if (!_pool.TryTakeQueued(out PoolWorkItem item))
                        {
                            _slots.Release();
                            break;
                        }

                        if (item.Completion.Task.IsCompleted)
                        {
                            continue; // cancelled by its caller while queued; the slot stays ours
                        }

                        if (item.Timeout != Timeout.InfiniteTimeSpan)
                        {
                            item.Deadline = time.GetTimestamp() + (long)(item.Timeout.TotalSeconds * time.TimestampFrequency);
                        }

                        _inFlight[item.Id] = item;
                        if (_dead)
                        {
                            if (_inFlight.TryRemove(item.Id, out _))
                            {
                                _pool.Requeue(item);
                            }

                            _slots.Release();
                            break;
                        }

                        await _output.WriteAsync(item.Frame).ConfigureAwait(false);
                        wrote = true;
                        holding = !Retiring && _slots.Wait(0);
                    }

                    if (wrote)
                    {
                        await _output.FlushAsync().ConfigureAwait(false);
                    }
                }
                finally
                {
                    _writeLock.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // The worker died; the read loop fails its tasks.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte>? frame = await _reader.ReadFrameAsync().ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                (FrameKind kind, long id, ReadOnlyMemory<byte> rest) = ParseOrCrash(frame.Value, _channel, ProcessId);
                if (kind is not (FrameKind.Result or FrameKind.Error))
                {
                    throw new MessageFrameException($"The {_channel} sent an unexpected {kind} frame.");
                }

                if (!_inFlight.TryRemove(id, out PoolWorkItem? item))
                {
                    continue; // timed out already, or an id we never sent
                }

                _slots.Release();
                if (kind == FrameKind.Result)
                {
                    if (item.Completion.TrySetResult(rest.ToArray()))
                    {
                        _pool.OnCompleted();
                    }
                }
                else
                {
                    string text = Encoding.UTF8.GetString(rest.Span);
                    int newline = text.IndexOf('\n', StringComparison.Ordinal);
                    string type = newline < 0 ? "Exception" : text[..newline];
                    string message = newline < 0 ? text : text[(newline + 1)..];
                    _pool.Fail(item, new ProcessPoolTaskException($"Handler '{item.Handler}' failed in worker {ProcessId}: {type}: {message}")
                    {
                        RemoteExceptionType = type,
                        Handler = item.Handler,
                    });
                }

                long done = Interlocked.Increment(ref _completed);
                long max = _pool.Options.MaxTasksPerWorker;
                if (max > 0 && done >= max)
                {
                    BeginRetire();
                }

                if (Retiring && _inFlight.IsEmpty)
                {
                    _idle.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            error = ex;
        }

        await OnEndedAsync(error).ConfigureAwait(false);
    }

    private async Task OnEndedAsync(Exception? error)
    {
        _dead = true;
        await _stopPump.CancelAsync().ConfigureAwait(false);
        bool crashed = !(Retiring && _inFlight.IsEmpty && error is null && _killReason is null);
        if (error is not null || _killReason is not null)
        {
            Kill();
        }

        int? exitCode = null;
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            exitCode = _process.ExitCode;
        }
        catch (TimeoutException)
        {
            Kill();
        }

        string reason = _killReason
            ?? (error is not null ? $"it broke the frame protocol or its pipe failed: {error.Message}" : null)
            ?? (exitCode is int code ? $"it exited with code {code.ToString(CultureInfo.InvariantCulture)}" : "it closed its pipe");
        foreach (long id in _inFlight.Keys)
        {
            if (_inFlight.TryRemove(id, out PoolWorkItem? item))
            {
                _pool.Fail(item, new WorkerCrashedException($"Task {id} (handler '{item.Handler}') was lost: {_channel} died while the task was in flight ({reason}). The worker has been replaced; resubmit the task if it is safe to run again.", error)
                {
                    WorkerProcessId = ProcessId,
                    ExitCode = exitCode,
                });
            }
        }

        _pool.OnWorkerEnded(this, crashed, alreadyReplaced: Retiring);
        await _pump.ConfigureAwait(false);
        await _pipe.DisposeAsync().ConfigureAwait(false);
        _process.Dispose();
        _ended.TrySetResult();
    }

    private void Kill()
    {
        KillQuietly(_process);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private static (FrameKind Kind, long Id, ReadOnlyMemory<byte> Payload) ParseOrCrash(ReadOnlyMemory<byte> frame, string channel, int pid)
    {
        _ = pid;
        return PoolProtocol.Parse(frame, channel);
    }
}
