namespace XSystem.Ipc.Internal;

/// <summary>A bounded ring of output lines with a change signal for live readers.</summary>
internal sealed class OutputRing(int capacity)
{
    private readonly Queue<OutputLine> _lines = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;
    private bool _completed;

    public long Append(string processName, OutputStreamKind stream, string text, DateTimeOffset timestamp)
    {
        TaskCompletionSource changed;
        long sequence;
        lock (_lock)
        {
            sequence = ++_sequence;
            _lines.Enqueue(new OutputLine(processName, stream, text, timestamp, sequence));
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }

            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
        return sequence;
    }

    public void Complete()
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _completed = true;
            changed = _changed;
        }

        changed.TrySetResult();
    }

    public OutputLine[] Snapshot()
    {
        lock (_lock)
        {
            return [.. _lines];
        }
    }

    /// <summary>Lines after <paramref name="after"/>, whether the ring is complete, and the signal to wait on for more.</summary>
    public (List<OutputLine> Lines, bool Completed, Task Changed) After(long after)
    {
        lock (_lock)
        {
            var lines = new List<OutputLine>();
            foreach (OutputLine line in _lines)
            {
                if (line.Sequence > after)
                {
                    lines.Add(line);
                }
            }

            return (lines, _completed, _changed.Task);
        }
    }
}
