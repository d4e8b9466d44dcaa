namespace XSystem.Terminal.Tests;

internal static class TestEnv
{
    public const string Esc = "\u001b";

    public static Dictionary<string, string> Of(params (string Name, string Value)[] variables)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            result[name] = value;
        }

        return result;
    }

    public static TerminalSettings Terminal(params (string Name, string Value)[] variables) => new()
    {
        Environment = Of(variables),
        Out = new StringWriter(),
        IsOutputRedirected = false,
        IsInputRedirected = false,
        Width = 80,
    };

    public static TerminalSettings Redirected(params (string Name, string Value)[] variables) => new()
    {
        Environment = Of(variables),
        Out = new StringWriter(),
        IsOutputRedirected = true,
        IsInputRedirected = true,
        Width = 80,
    };
}
