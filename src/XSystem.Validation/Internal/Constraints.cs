using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace XSystem.Validation.Internal;

internal enum StringFormat
{
    None,
    Email,
    Url,
}

/// <summary>The merged constraints of one field (from <see cref="FieldAttribute"/> and DataAnnotations).</summary>
internal sealed class Constraints
{
    public static readonly Constraints None = new();

    public double Ge = double.NaN;
    public double Gt = double.NaN;
    public double Le = double.NaN;
    public double Lt = double.NaN;
    public double MultipleOf = double.NaN;
    public int MinLength = -1;
    public int MaxLength = -1;
    public string? Pattern;
    public Regex? Regex;
    public StringFormat Format;
    public bool Strict;

    public bool HasNumeric => !double.IsNaN(Ge) || !double.IsNaN(Gt) || !double.IsNaN(Le) || !double.IsNaN(Lt) || !double.IsNaN(MultipleOf);

    public bool HasLength => MinLength >= 0 || MaxLength >= 0;

    public void SetPattern(string pattern)
    {
        Pattern = pattern;
        try
        {
            Regex = new Regex(pattern, RegexOptions.ECMAScript | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            // Constructs outside ECMAScript mode (\p{..}, lookbehind, named groups...) fall back to .NET syntax.
            Regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Checks numeric bounds; returns false after recording errors.</summary>
    public bool CheckNumber(double v, object input, ValidationState st)
    {
        var ok = true;
        if (!double.IsNaN(Ge) && !(v >= Ge))
        {
            st.Add("greater_than_equal", "Input should be greater than or equal to " + Num(Ge), input);
            ok = false;
        }

        if (!double.IsNaN(Gt) && !(v > Gt))
        {
            st.Add("greater_than", "Input should be greater than " + Num(Gt), input);
            ok = false;
        }

        if (!double.IsNaN(Le) && !(v <= Le))
        {
            st.Add("less_than_equal", "Input should be less than or equal to " + Num(Le), input);
            ok = false;
        }

        if (!double.IsNaN(Lt) && !(v < Lt))
        {
            st.Add("less_than", "Input should be less than " + Num(Lt), input);
            ok = false;
        }

        if (!double.IsNaN(MultipleOf) && !IsMultiple(v, MultipleOf))
        {
            st.Add("multiple_of", "Input should be a multiple of " + Num(MultipleOf), input);
            ok = false;
        }

        return ok;
    }

    public bool CheckDecimal(decimal v, object input, ValidationState st)
    {
        var ok = CheckNumberWithout(v, input, st);
        if (!double.IsNaN(MultipleOf))
        {
            var m = (decimal)MultipleOf;
            if (m <= 0 || v % m != 0)
            {
                st.Add("multiple_of", "Input should be a multiple of " + Num(MultipleOf), input);
                ok = false;
            }
        }

        return ok;
    }

    private bool CheckNumberWithout(decimal v, object input, ValidationState st)
    {
        var ok = true;
        if (!double.IsNaN(Ge) && !(v >= (decimal)Ge))
        {
            st.Add("greater_than_equal", "Input should be greater than or equal to " + Num(Ge), input);
            ok = false;
        }

        if (!double.IsNaN(Gt) && !(v > (decimal)Gt))
        {
            st.Add("greater_than", "Input should be greater than " + Num(Gt), input);
            ok = false;
        }

        if (!double.IsNaN(Le) && !(v <= (decimal)Le))
        {
            st.Add("less_than_equal", "Input should be less than or equal to " + Num(Le), input);
            ok = false;
        }

        if (!double.IsNaN(Lt) && !(v < (decimal)Lt))
        {
            st.Add("less_than", "Input should be less than " + Num(Lt), input);
            ok = false;
        }

        return ok;
    }

    internal static bool IsMultiple(double v, double m)
    {
        if (m <= 0 || double.IsInfinity(v) || double.IsNaN(v))
        {
            return false;
        }

        if (Math.Abs(v) < 7.9e27 && m < 7.9e27 && m > 1e-20)
        {
            try
            {
                return (decimal)v % (decimal)m == 0;
            }
            catch (OverflowException)
            {
                // fall through to the floating point check
            }
        }

        var q = v / m;
        return Math.Abs(q - Math.Round(q)) < 1e-9;
    }

    public bool CheckString(string s, object input, ValidationState st)
    {
        var ok = true;
        if (HasLength)
        {
            var n = CodePoints(s);
            if (MinLength >= 0 && n < MinLength)
            {
                st.Add("string_too_short", $"String should have at least {MinLength} character{(MinLength == 1 ? "" : "s")}", input);
                ok = false;
            }

            if (MaxLength >= 0 && n > MaxLength)
            {
                st.Add("string_too_long", $"String should have at most {MaxLength} character{(MaxLength == 1 ? "" : "s")}", input);
                ok = false;
            }
        }

        if (Regex is not null)
        {
            bool match;
            try
            {
                match = Regex.IsMatch(s);
            }
            catch (RegexMatchTimeoutException)
            {
                match = false;
            }

            if (!match)
            {
                st.Add("string_pattern_mismatch", $"String should match pattern '{Pattern}'", input);
                ok = false;
            }
        }

        if (Format == StringFormat.Email && !IsEmail(s))
        {
            st.Add("value_error", "value is not a valid email address", input);
            ok = false;
        }
        else if (Format == StringFormat.Url && !IsWebUrl(s))
        {
            st.Add("url_parsing", "Input should be a valid URL (http, https or ftp)", input);
            ok = false;
        }

        return ok;
    }

    public bool CheckCount(int count, object input, ValidationState st, string what)
    {
        var ok = true;
        if (MinLength >= 0 && count < MinLength)
        {
            st.Add("too_short", $"{what} should have at least {MinLength} item{(MinLength == 1 ? "" : "s")} after validation, not {count}", input);
            ok = false;
        }

        if (MaxLength >= 0 && count > MaxLength)
        {
            st.Add("too_long", $"{what} should have at most {MaxLength} item{(MaxLength == 1 ? "" : "s")} after validation, not {count}", input);
            ok = false;
        }

        return ok;
    }

    public void WriteNumberSchema(JsonObject s)
    {
        if (!double.IsNaN(Ge))
        {
            s["minimum"] = NumNode(Ge);
        }

        if (!double.IsNaN(Gt))
        {
            s["exclusiveMinimum"] = NumNode(Gt);
        }

        if (!double.IsNaN(Le))
        {
            s["maximum"] = NumNode(Le);
        }

        if (!double.IsNaN(Lt))
        {
            s["exclusiveMaximum"] = NumNode(Lt);
        }

        if (!double.IsNaN(MultipleOf))
        {
            s["multipleOf"] = NumNode(MultipleOf);
        }
    }

    public void WriteStringSchema(JsonObject s)
    {
        if (MinLength >= 0)
        {
            s["minLength"] = MinLength;
        }

        if (MaxLength >= 0)
        {
            s["maxLength"] = MaxLength;
        }

        if (Pattern is not null)
        {
            s["pattern"] = Pattern;
        }

        if (Format == StringFormat.Email)
        {
            s["format"] = "email";
        }
        else if (Format == StringFormat.Url)
        {
            s["format"] = "uri";
        }
    }

    public void WriteCountSchema(JsonObject s, string min, string max)
    {
        if (MinLength >= 0)
        {
            s[min] = MinLength;
        }

        if (MaxLength >= 0)
        {
            s[max] = MaxLength;
        }
    }

    internal static JsonNode NumNode(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 9e15 ? JsonValue.Create((long)d) : JsonValue.Create(d);

    internal static string Num(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    internal static int CodePoints(string s)
    {
        var n = s.Length;
        foreach (var ch in s)
        {
            if (char.IsLowSurrogate(ch))
            {
                n--;
            }
        }

        return n;
    }

    internal static bool IsEmail(string s)
    {
        // Same rule as DataAnnotations' EmailAddressAttribute: exactly one '@', not first, not last, no CR/LF.
        var at = s.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == s.LastIndexOf('@') && at != s.Length - 1 && !s.Contains('\r', StringComparison.Ordinal) && !s.Contains('\n', StringComparison.Ordinal);
    }

    internal static bool IsWebUrl(string s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeFtp);
}
