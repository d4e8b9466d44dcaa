using XSystem.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C asks commands to stop; a second one ends the process the usual way.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

return await XsysApp.RunAsync(args, console: null, cancellation.Token).ConfigureAwait(false);
