namespace XSystem.Ipc.Internal;

/// <summary>One submitted task: its pre-built request frame and the completion the caller awaits.</summary>
internal sealed class PoolWorkItem(long id, string handler, byte[] frame, TimeSpan timeout)
{
    public long Id { get; } = id;

    public string Handler { get; } = handler;

    public byte[] Frame { get; } = frame;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>TimeProvider timestamp after which the task has timed out; long.MaxValue when it has no timeout.</summary>
    public long Deadline { get; set; } = long.MaxValue;

    public TaskCompletionSource<byte[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
