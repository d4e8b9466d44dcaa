namespace XSystem.Terminal;

/// <summary>The outcome of the color rules for one output.</summary>
/// <param name="Enabled">Whether color escape codes may be written.</param>
/// <param name="Forced">Whether <c>FORCE_COLOR</c> forced color on.</param>
/// <param name="AnsiAllowed">Whether any escape code (color or cursor movement) may be written.</param>
/// <param name="System">The color system to use when enabled.</param>
/// <param name="Reason">Why, in a few words, for diagnostics.</param>
internal readonly record struct ColorDecision(bool Enabled, bool Forced, bool AnsiAllowed, TerminalColorSystem System, string Reason);

/// <summary>
/// The color rules, as pure functions of the environment and the redirection state:
/// NO_COLOR (present and not empty) disables; FORCE_COLOR (not empty, not "0"/"false") forces; TERM=dumb disables;
/// redirected output disables; otherwise color is on.
/// </summary>
internal static class ColorRules
{
    public static ColorDecision Decide(IReadOnlyDictionary<string, string> environment, bool outputRedirected, bool isWindows)
    {
        string? term = Get(environment, "TERM");
        bool dumb = string.Equals(term, "dumb", StringComparison.OrdinalIgnoreCase);
        bool ansiAllowedUnforced = !outputRedirected && !dumb;

        if (!string.IsNullOrEmpty(Get(environment, "NO_COLOR")))
        {
            return new ColorDecision(false, false, ansiAllowedUnforced, TerminalColorSystem.None, "NO_COLOR is set");
        }

        string? force = Get(environment, "FORCE_COLOR");
        if (IsForce(force))
        {
            var forcedSystem = force!.Trim() switch
            {
                "2" => TerminalColorSystem.EightBit,
                "3" => TerminalColorSystem.TrueColor,
                _ => DetectSystem(environment, term, isWindows),
            };
            return new ColorDecision(true, true, true, forcedSystem, "FORCE_COLOR is set");
        }

        if (dumb)
        {
            return new ColorDecision(false, false, false, TerminalColorSystem.None, "TERM is dumb");
        }

        if (outputRedirected)
        {
            return new ColorDecision(false, false, false, TerminalColorSystem.None, "output is redirected");
        }

        return new ColorDecision(true, false, true, DetectSystem(environment, term, isWindows), "output is a terminal");
    }

    public static bool IsForce(string? value) =>
        !string.IsNullOrWhiteSpace(value)
        && value.Trim() != "0"
        && !value.Trim().Equals("false", StringComparison.OrdinalIgnoreCase);

    public static TerminalColorSystem DetectSystem(IReadOnlyDictionary<string, string> environment, string? term, bool isWindows)
    {
        string? colorTerm = Get(environment, "COLORTERM");
        if (string.Equals(colorTerm, "truecolor", StringComparison.OrdinalIgnoreCase)
            || string.Equals(colorTerm, "24bit", StringComparison.OrdinalIgnoreCase))
        {
            return TerminalColorSystem.TrueColor;
        }

        if (term is not null && term.Contains("256", StringComparison.Ordinal))
        {
            return TerminalColorSystem.EightBit;
        }

        // Windows 10 and later consoles (conhost with VT mode, Windows Terminal) render 24-bit color.
        return isWindows ? TerminalColorSystem.TrueColor : TerminalColorSystem.Standard;
    }

    public static string? Get(IReadOnlyDictionary<string, string> environment, string name) =>
        environment.TryGetValue(name, out string? value) ? value : null;
}
