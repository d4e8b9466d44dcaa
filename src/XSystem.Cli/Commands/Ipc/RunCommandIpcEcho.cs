using Spectre.Console.Cli;
using XSystem.Ipc;

namespace XSystem.Cli.Commands.Ipc;

/// <summary>
/// <c>xsys __ipc-echo NAME</c> (hidden): connects to the <see cref="MessagePipe"/> server NAME and sends every string
/// message back until the server closes the pipe. The child half of the <c>xsys doctor</c> IPC self-check.
/// </summary>
internal sealed class IpcEchoCommand : AsyncCommand<IpcEchoCommand.Settings>
{
    /// <summary>Arguments of <c>xsys __ipc-echo</c>.</summary>
    internal sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<NAME>")]
        public string Name { get; init; } = "";
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        MessagePipe pipe = await MessagePipe.ConnectAsync(settings.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using (pipe.ConfigureAwait(false))
        {
            await foreach (string message in pipe.ReadAllAsync<string>(cancellationToken).ConfigureAwait(false))
            {
                await pipe.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }

        return XsysApp.ExitOk;
    }
}
