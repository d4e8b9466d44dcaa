using XSystem.Terminal;

namespace XSystem.Cli.Doctor;

/// <summary>Reports the color capability of this console and checks that colorizing agrees with it.</summary>
internal sealed class TerminalCheck : IDoctorCheck
{
    public string Module => "XSystem.Terminal";

    public string Description => "color capability";

    public ValueTask<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        TerminalCapabilities capabilities = Term.Capabilities;
        string colored = Term.Colorize("x", Colors.Green, Style.Bold);
        bool hasEscape = colored.Contains('\u001b', StringComparison.Ordinal);
        if (hasEscape != capabilities.ColorEnabled)
        {
            return ValueTask.FromResult(CheckResult.Fail(
                $"colorizing {(hasEscape ? "wrote" : "did not write")} escape codes although color is {(capabilities.ColorEnabled ? "on" : "off")} ({capabilities.ColorReason})"));
        }

        return ValueTask.FromResult(CheckResult.Pass(capabilities.ToString()));
    }
}
