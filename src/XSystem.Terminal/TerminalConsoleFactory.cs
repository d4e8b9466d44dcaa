using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Spectre.Console;

namespace XSystem.Terminal;

/// <summary>Builds Spectre.Console consoles that follow the XSystem color rules.</summary>
internal static class TerminalConsoleFactory
{
    private const int DefaultWidth = 80;
    private static readonly ConditionalWeakTable<IAnsiConsole, TerminalCapabilities> Known = [];

    public static IAnsiConsole Create(TerminalSettings settings, out TerminalCapabilities capabilities)
    {
        bool isWindows = OperatingSystem.IsWindows();
        Dictionary<string, string> environment = Snapshot(settings.Environment, isWindows);
        bool useStdErr = settings.UseStandardError;
        TextWriter writer = settings.Out ?? (useStdErr ? Console.Error : Console.Out);
        bool outputRedirected = settings.IsOutputRedirected
            ?? (settings.Out is not null || (useStdErr ? Console.IsErrorRedirected : Console.IsOutputRedirected));
        bool inputRedirected = settings.IsInputRedirected ?? Console.IsInputRedirected;

        ColorDecision decision = ColorRules.Decide(environment, outputRedirected, isWindows);
        int? fixedWidth = settings.Width ?? ColumnsFrom(environment);
        if (fixedWidth is int w)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(w, nameof(settings.Width));
        }

        bool realConsole = settings.Out is null && !outputRedirected;
        var output = new TerminalConsoleOutput(writer, !outputRedirected, fixedWidth, realConsole);

        // On Windows, Spectre's ANSI detection switches the console into virtual-terminal mode; let it run there.
        bool detectAnsi = isWindows && realConsole && !decision.Forced;
        bool interactive = !inputRedirected && !outputRedirected && decision.AnsiAllowed;
        var spectreSettings = new AnsiConsoleSettings
        {
            Ansi = !decision.AnsiAllowed ? AnsiSupport.No : detectAnsi ? AnsiSupport.Detect : AnsiSupport.Yes,
            ColorSystem = decision.Enabled ? ToSupport(decision.System) : ColorSystemSupport.NoColors,
            Out = output,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            EnvironmentVariables = environment,
        };

        IAnsiConsole console = AnsiConsole.Create(spectreSettings);
        Profile profile = console.Profile;
        if (fixedWidth is int width)
        {
            profile.Width = width;
        }

        if (settings.Unicode is bool unicode)
        {
            profile.Capabilities.Unicode = unicode;
        }

        // Re-apply our decision over anything Spectre's detection or CI enrichers changed.
        bool ansi = decision.AnsiAllowed && (decision.Forced || profile.Capabilities.Ansi);
        profile.Capabilities.Ansi = ansi;
        bool colorEnabled = decision.Enabled && ansi;
        string reason = decision.Enabled && !ansi ? "the console does not support ANSI escape codes" : decision.Reason;
        profile.Capabilities.ColorSystem = colorEnabled ? ToSpectre(decision.System) : ColorSystem.NoColors;
        profile.Capabilities.Interactive = profile.Capabilities.Interactive && interactive;

        capabilities = new TerminalCapabilities(
            colorEnabled,
            decision.System,
            reason,
            profile.Capabilities.Unicode,
            profile.Capabilities.Interactive,
            profile.Width,
            outputRedirected,
            inputRedirected,
            isProcessConsole: settings.Out is null);
        Known.AddOrUpdate(console, capabilities);
        return console;
    }

    public static bool TryGetKnown(IAnsiConsole console, [NotNullWhen(true)] out TerminalCapabilities? capabilities) =>
        Known.TryGetValue(console, out capabilities);

    public static TerminalColorSystem FromSpectre(ColorSystem system) => system switch
    {
        ColorSystem.Legacy => TerminalColorSystem.Legacy,
        ColorSystem.Standard => TerminalColorSystem.Standard,
        ColorSystem.EightBit => TerminalColorSystem.EightBit,
        ColorSystem.TrueColor => TerminalColorSystem.TrueColor,
        _ => TerminalColorSystem.None,
    };

    public static ColorSystem ToSpectre(TerminalColorSystem system) => system switch
    {
        TerminalColorSystem.Legacy => ColorSystem.Legacy,
        TerminalColorSystem.Standard => ColorSystem.Standard,
        TerminalColorSystem.EightBit => ColorSystem.EightBit,
        TerminalColorSystem.TrueColor => ColorSystem.TrueColor,
        _ => ColorSystem.NoColors,
    };

    private static ColorSystemSupport ToSupport(TerminalColorSystem system) => system switch
    {
        TerminalColorSystem.Legacy => ColorSystemSupport.Legacy,
        TerminalColorSystem.Standard => ColorSystemSupport.Standard,
        TerminalColorSystem.EightBit => ColorSystemSupport.EightBit,
        TerminalColorSystem.TrueColor => ColorSystemSupport.TrueColor,
        _ => ColorSystemSupport.NoColors,
    };

    private static Dictionary<string, string> Snapshot(IReadOnlyDictionary<string, string>? explicitEnvironment, bool isWindows)
    {
        var result = new Dictionary<string, string>(isWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        if (explicitEnvironment is not null)
        {
            foreach (var pair in explicitEnvironment)
            {
                result[pair.Key] = pair.Value ?? string.Empty;
            }

            return result;
        }

        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key)
            {
                result[key] = entry.Value as string ?? string.Empty;
            }
        }

        return result;
    }

    private static int? ColumnsFrom(IReadOnlyDictionary<string, string> environment) =>
        int.TryParse(ColorRules.Get(environment, "COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int columns) && columns > 0
            ? columns
            : null;

    /// <summary>An output with an explicit terminal flag and width; the width follows the window on a real terminal.</summary>
    private sealed class TerminalConsoleOutput(TextWriter writer, bool isTerminal, int? fixedWidth, bool realConsole) : IAnsiConsoleOutput
    {
        public TextWriter Writer { get; } = writer;

        public bool IsTerminal { get; } = isTerminal;

        public int Width => fixedWidth ?? (realConsole ? WindowSize(static () => Console.WindowWidth, DefaultWidth) : DefaultWidth);

        public int Height => realConsole ? WindowSize(static () => Console.WindowHeight, 24) : 24;

        public void SetEncoding(Encoding encoding)
        {
            // The writer's encoding is fixed by whoever created it; nothing to change here.
        }

        private static int WindowSize(Func<int> read, int fallback)
        {
            try
            {
                int value = read();
                return value > 0 ? value : fallback;
            }
            catch (IOException)
            {
                return fallback;
            }
            catch (PlatformNotSupportedException)
            {
                return fallback;
            }
        }
    }
}
