using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace XSystem.Validation.Internal;

internal sealed class FieldPlan
{
    public required string Name { get; init; }

    public required string WireName { get; init; }

    /// <summary>The JSON name in UTF-8, compared without allocating when input properties come in declaration order.</summary>
    public byte[] WireUtf8 => field ??= System.Text.Encoding.UTF8.GetBytes(WireName);

    public required Type Type { get; init; }

    public required Converter Converter { get; set; }

    public bool Required { get; set; }

    public bool HasDefault { get; set; }

    public object? DefaultValue { get; set; }

    public JsonNode? SchemaDefault { get; set; }

    public string? Description { get; set; }

    public object[]? Examples { get; set; }

    public Func<object?, object?>[]? Validators { get; set; }

    public Func<object, object?> Getter { get; set; } = null!;
}

/// <summary>The compiled, immutable validation plan of one model type. Built once per type under a lock.</summary>
internal sealed partial class ModelPlan
{
    private static readonly ConcurrentDictionary<Type, ModelPlan> Plans = new();
    private static readonly Lock BuildLock = new();

    internal static readonly object Unset = new();

    private object?[] _template = [];
    private JsonObject? _schema;

    private ModelPlan(Type type)
    {
        ModelType = type;
        Title = type.Name;
    }

    public Type ModelType { get; }

    public string Title { get; private set; }

    public string? Description { get; private set; }

    public FieldPlan[] Fields { get; private set; } = [];

    public FrozenDictionary<string, int> Lookup { get; private set; } = FrozenDictionary<string, int>.Empty;

    public ExtraPolicy Extra { get; private set; }

    public bool Strict { get; private set; }

    public Func<object?[], object> Factory { get; private set; } = null!;

    /// <summary>Whether instances run a model-level <c>Validate</c> hook after construction (skipped when not overridden).</summary>
    public bool HasModelValidator { get; private set; }

    public ModelConverter Converter { get; private set; } = null!;

    public static ModelPlan For(Type type)
    {
        if (Plans.TryGetValue(type, out var plan))
        {
            return plan;
        }

        lock (BuildLock)
        {
            if (Plans.TryGetValue(type, out plan))
            {
                return plan;
            }

            var building = new Dictionary<Type, ModelPlan>();
            plan = Build(type, building);
            foreach (var kv in building)
            {
                Plans[kv.Key] = kv.Value;
            }

            return plan;
        }
    }

    internal static int CachedPlanCount => Plans.Count;

    internal static ModelPlan GetOrBuild(Type type, Dictionary<Type, ModelPlan> building)
    {
        if (Plans.TryGetValue(type, out var plan) || building.TryGetValue(type, out plan))
        {
            return plan;
        }

        return Build(type, building);
    }

    public static bool IsModelType(Type t) =>
        t.IsClass && t != typeof(string) && !t.IsAbstract && (typeof(XModel).IsAssignableFrom(t) || (IsRecord(t) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(t)));

    private static bool IsRecord(Type t) => t.GetMethod("<Clone>$") is not null;

    // ---- validation ------------------------------------------------------------------------------------------

    private object?[] NewSlots()
    {
        var slots = new object?[_template.Length];
        slots.AsSpan().Fill(Unset);
        return slots;
    }

    private void ReadField(int index, object?[] slots, JsonElement value, ValidationState st)
    {
        var f = Fields[index];
        st.Push(f.WireName);
        var r = f.Converter.FromElement(value, st);
        slots[index] = f.Validators is null || ReferenceEquals(r, Internal.Converter.Failed) ? r : RunValidators(f, r, st);
        st.Pop();
    }

    private void ReadField(int index, object?[] slots, object? value, ValidationState st)
    {
        var f = Fields[index];
        st.Push(f.WireName);
        var r = f.Converter.Convert(value, st);
        slots[index] = f.Validators is null || ReferenceEquals(r, Internal.Converter.Failed) ? r : RunValidators(f, r, st);
        st.Pop();
    }

    private static object? RunValidators(FieldPlan f, object? value, ValidationState st)
    {
        foreach (var v in f.Validators!)
        {
            try
            {
                value = v(value);
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or System.ComponentModel.DataAnnotations.ValidationException)
            {
                st.Add("value_error", "Value error, " + ex.Message, value);
                return Internal.Converter.Failed;
            }
        }

        return value;
    }

    public object ValidateElement(JsonElement obj, ValidationState st)
    {
        var saved = st.Strict;
        st.Strict |= Strict;
        var before = st.ErrorCount;
        var slots = NewSlots();
        Dictionary<string, JsonNode?>? extra = null;
        var fields = Fields;
        var hint = 0;
        foreach (var p in obj.EnumerateObject())
        {
            // Fast path: the next declared field, compared on UTF-8 bytes without materializing the name.
            if (hint < fields.Length && p.NameEquals(fields[hint].WireUtf8))
            {
                ReadField(hint, slots, p.Value, st);
                hint++;
            }
            else if (Lookup.TryGetValue(p.Name, out var idx))
            {
                ReadField(idx, slots, p.Value, st);
                hint = idx + 1;
            }
            else
            {
                OnExtra(p.Name, p.Value, ref extra, st);
            }
        }

        var result = Finish(slots, extra, before, st);
        st.Strict = saved;
        return result;
    }

    public object ValidateNode(JsonObject obj, ValidationState st)
    {
        var saved = st.Strict;
        st.Strict |= Strict;
        var before = st.ErrorCount;
        var slots = NewSlots();
        Dictionary<string, JsonNode?>? extra = null;
        foreach (var p in obj)
        {
            if (Lookup.TryGetValue(p.Key, out var idx))
            {
                ReadField(idx, slots, p.Value, st);
            }
            else
            {
                OnExtra(p.Key, p.Value, ref extra, st);
            }
        }

        var result = Finish(slots, extra, before, st);
        st.Strict = saved;
        return result;
    }

    public object ValidatePairs(IEnumerable<KeyValuePair<string, object?>> pairs, ValidationState st)
    {
        var saved = st.Strict;
        st.Strict |= Strict;
        var before = st.ErrorCount;
        var slots = NewSlots();
        Dictionary<string, JsonNode?>? extra = null;
        foreach (var p in pairs)
        {
            if (p.Key is not null && Lookup.TryGetValue(p.Key, out var idx))
            {
                ReadField(idx, slots, p.Value, st);
            }
            else
            {
                OnExtra(p.Key ?? "", p.Value, ref extra, st);
            }
        }

        var result = Finish(slots, extra, before, st);
        st.Strict = saved;
        return result;
    }

    public object ValidateAttributes(object source, ValidationState st) =>
        ValidatePairs(AttributeReader.Read(source), st);

    private void OnExtra(string key, object? value, ref Dictionary<string, JsonNode?>? extra, ValidationState st)
    {
        switch (Extra)
        {
            case ExtraPolicy.Forbid:
                st.Push(key);
                st.Add("extra_forbidden", "Extra inputs are not permitted", value);
                st.Pop();
                break;
            case ExtraPolicy.Allow:
                extra ??= new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
                extra[key] = value is JsonElement e ? JsonHelpers.ToNode(e) : JsonHelpers.TryGetElement(value, out var el, out _) ? JsonHelpers.ToNode(el) : JsonHelpers.FromClr(value);
                break;
        }
    }

    private object Finish(object?[] slots, Dictionary<string, JsonNode?>? extra, int before, ValidationState st)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            if (ReferenceEquals(slots[i], Unset))
            {
                var f = Fields[i];
                if (f.Required)
                {
                    st.Push(f.WireName);
                    st.Add("missing", "Field required", null);
                    st.Pop();
                }
                else if (f.HasDefault)
                {
                    slots[i] = f.DefaultValue;
                }
            }
        }

        if (st.ErrorCount > before)
        {
            return Internal.Converter.Failed;
        }

        var model = Factory(slots);
        if (model is XModel xm)
        {
            if (extra is not null)
            {
                xm.SetExtra(extra);
            }
        }

        if (HasModelValidator && model is IValidatableModel vm)
        {
            vm.Validate(new ModelErrors(st, this));
            if (st.ErrorCount > before)
            {
                return Internal.Converter.Failed;
            }
        }

        return model;
    }

    // ---- entry points ----------------------------------------------------------------------------------------

    public object Validate(object? input, bool strict, out List<ModelError>? errors)
    {
        var st = ValidationState.Rent(strict);
        try
        {
            var r = Converter.Convert(input is JsonDocument doc ? doc.RootElement : input, st);
            errors = st.Errors;
            return r!;
        }
        finally
        {
            ValidationState.Return(st);
        }
    }

    public object ValidateJson(ReadOnlySpan<byte> utf8, bool strict, out List<ModelError>? errors)
    {
        if (ReadsDirectly && TryValidateReader(utf8, strict, out var model))
        {
            errors = null;
            return model;
        }

        return ValidateDocument(utf8, strict, out errors);
    }

    public object ValidateJson(string json, bool strict, out List<ModelError>? errors)
    {
        if (ReadsDirectly && json.Length <= MaxPooledChars)
        {
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(json.Length * 3);
            try
            {
                // Strict transcoding: text with unpaired surrogates goes the document route, which reports it.
                if (StrictUtf8.TryGetBytes(json, buffer, out var written) && TryValidateReader(buffer.AsSpan(0, written), strict, out var model))
                {
                    errors = null;
                    return model;
                }
            }
            catch (System.Text.EncoderFallbackException)
            {
                // Not valid UTF-16; the document route below reports it.
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return ValidateDocument(json, strict, out errors);
    }

    /// <summary>Texts longer than this (in UTF-16 units) skip the pooled transcoding buffer and go the document route.</summary>
    private const int MaxPooledChars = 1 << 20;

    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The fast path for valid JSON text: one pass with a <see cref="Utf8JsonReader"/>, no <see cref="JsonDocument"/>.
    /// It succeeds only when every value has the exact JSON type its field takes and every rule holds; on anything
    /// else (a coercion, an error, malformed JSON, a type without a direct reader) it gives up and the caller validates
    /// again through the document route, which produces the located errors. Validators may therefore run twice on
    /// input that turns out to be invalid; they are expected to be pure.
    /// </summary>
    internal bool TryValidateReader(ReadOnlySpan<byte> utf8, bool strict, out object model)
    {
        model = null!;
        var st = ValidationState.Rent(strict);
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || !TryReadObject(ref reader, st, out var value) || st.ErrorCount != 0 || reader.Read())
            {
                return false;
            }

            model = value!;
            return true;
        }
        catch (JsonException)
        {
            // Malformed JSON: the document route reports it as json_invalid with the reader's position.
            return false;
        }
        finally
        {
            ValidationState.Return(st);
        }
    }

    private int _readsDirectly; // 0 unknown, 1 computing, 2 yes, 3 no

    /// <summary>Whether every field can be read straight from the reader (see <see cref="Converter.TryRead"/>).</summary>
    public bool ReadsDirectly
    {
        get
        {
            switch (Volatile.Read(ref _readsDirectly))
            {
                case 2:
                    return true;
                case 3:
                    return false;
                case 1:
                    // A cycle through this plan: the answer is decided by the other fields. A wrong guess is harmless,
                    // because TryRead of a field that cannot read directly returns false and validation falls back.
                    return true;
            }

            _readsDirectly = 1;
            var yes = Extra != ExtraPolicy.Allow;
            foreach (var f in Fields)
            {
                yes &= f.Converter.ReadsDirectly;
            }

            Volatile.Write(ref _readsDirectly, yes ? 2 : 3);
            return yes;
        }
    }

    /// <summary>The reader form of <see cref="ValidateElement"/> for the fast path; see <see cref="TryValidateReader"/>.</summary>
    public bool TryReadObject(ref Utf8JsonReader reader, ValidationState st, out object? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.StartObject || st.Depth > ValidationState.MaxDepth)
        {
            return false;
        }

        var saved = st.Strict;
        st.Strict |= Strict;
        var slots = NewSlots();
        var fields = Fields;
        var hint = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int idx;
            if (hint < fields.Length && reader.ValueTextEquals(fields[hint].WireUtf8))
            {
                idx = hint;
            }
            else if (!Lookup.TryGetValue(reader.GetString()!, out idx))
            {
                idx = -1;
            }

            reader.Read();
            if (idx < 0)
            {
                if (Extra != ExtraPolicy.Ignore)
                {
                    st.Strict = saved;
                    return false;
                }

                reader.Skip();
                continue;
            }

            var f = fields[idx];
            st.Push(f.WireName);
            var ok = f.Converter.TryRead(ref reader, st, out var r);
            if (ok && f.Validators is not null)
            {
                r = RunValidators(f, r, st);
                ok = !ReferenceEquals(r, Internal.Converter.Failed);
            }

            st.Pop();
            if (!ok)
            {
                st.Strict = saved;
                return false;
            }

            slots[idx] = r;
            hint = idx + 1;
        }

        var result = Finish(slots, null, 0, st);
        st.Strict = saved;
        value = result;
        return !ReferenceEquals(result, Internal.Converter.Failed) && st.ErrorCount == 0;
    }

    internal object ValidateDocument(ReadOnlySpan<byte> utf8, bool strict, out List<ModelError>? errors)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 256 });
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            errors = [new ModelError([], "json_invalid", "Invalid JSON: " + ex.Message, null)];
            return Internal.Converter.Failed;
        }

        using (doc)
        {
            var st = ValidationState.Rent(strict);
            try
            {
                var r = Converter.FromElement(doc.RootElement, st);
                errors = st.Errors;
                return r!;
            }
            finally
            {
                ValidationState.Return(st);
            }
        }
    }

    internal object ValidateDocument(string json, bool strict, out List<ModelError>? errors)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            errors = [new ModelError([], "json_invalid", "Invalid JSON: " + ex.Message, null)];
            return Internal.Converter.Failed;
        }
        catch (ArgumentException ex) when (ex.InnerException is System.Text.EncoderFallbackException fallback)
        {
            errors = [new ModelError([], "json_invalid", $"Invalid JSON: the text holds an unpaired surrogate at index {fallback.Index}, which has no UTF-8 form.", null)];
            return Internal.Converter.Failed;
        }

        using (doc)
        {
            var st = ValidationState.Rent(strict);
            try
            {
                var r = Converter.FromElement(doc.RootElement, st);
                errors = st.Errors;
                return r!;
            }
            finally
            {
                ValidationState.Return(st);
            }
        }
    }

    // ---- dump and schema -------------------------------------------------------------------------------------

    public JsonObject Dump(object model)
    {
        var obj = new JsonObject();
        foreach (var f in Fields)
        {
            obj[f.WireName] = f.Converter.ToJson(f.Getter(model));
        }

        if (model is XModel { ModelExtra: { } extra })
        {
            foreach (var kv in extra)
            {
                if (!obj.ContainsKey(kv.Key))
                {
                    obj[kv.Key] = kv.Value?.DeepClone();
                }
            }
        }

        return obj;
    }

    public JsonObject JsonSchema()
    {
        var s = Volatile.Read(ref _schema);
        if (s is null)
        {
            var ctx = new SchemaContext(this);
            var root = new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema" };
            WriteObjectSchema(root, ctx);
            if (ctx.Defs.Count > 0)
            {
                root["$defs"] = ctx.Defs;
            }

            Interlocked.CompareExchange(ref _schema, root, null);
            s = _schema!;
        }

        lock (s)
        {
            return (JsonObject)s.DeepClone();
        }
    }

    internal void WriteObjectSchema(JsonObject s, SchemaContext ctx)
    {
        s["title"] = Title;
        if (Description is not null)
        {
            s["description"] = Description;
        }

        s["type"] = "object";
        var props = new JsonObject();
        var required = new JsonArray();
        foreach (var f in Fields)
        {
            var fs = new JsonObject();
            f.Converter.WriteSchema(fs, ctx);
            if (f.Description is not null)
            {
                fs["description"] = f.Description;
            }

            if (f.SchemaDefault is not null && !f.Required)
            {
                fs["default"] = f.SchemaDefault.DeepClone();
            }

            if (f.Examples is { Length: > 0 })
            {
                var ex = new JsonArray();
                foreach (var e in f.Examples)
                {
                    ex.Add(JsonHelpers.FromClr(e));
                }

                fs["examples"] = ex;
            }

            props[f.WireName] = fs;
            if (f.Required)
            {
                required.Add(f.WireName);
            }
        }

        s["properties"] = props;
        if (required.Count > 0)
        {
            s["required"] = required;
        }

        if (Extra == ExtraPolicy.Forbid)
        {
            s["additionalProperties"] = false;
        }
    }

    internal FieldPlan? FindField(string name)
    {
        foreach (var f in Fields)
        {
            if (f.Name == name || f.WireName == name)
            {
                return f;
            }
        }

        return null;
    }
}

internal sealed class SchemaContext(ModelPlan root)
{
    private readonly Dictionary<ModelPlan, string> _names = [];
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public JsonObject Defs { get; } = [];

    public string RefFor(ModelPlan plan)
    {
        if (plan == root)
        {
            return "#";
        }

        if (!_names.TryGetValue(plan, out var name))
        {
            name = plan.Title;
            for (var i = 2; !_used.Add(name); i++)
            {
                name = plan.Title + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            _names[plan] = name;
            var def = new JsonObject();
            Defs[name] = def;
            plan.WriteObjectSchema(def, this);
        }

        return "#/$defs/" + name;
    }
}
