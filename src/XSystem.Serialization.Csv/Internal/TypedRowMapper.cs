using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using nietras.SeparatedValues;

namespace XSystem.Serialization.Csv.Internal;

/// <summary>
/// Maps Sep rows straight to <typeparamref name="T"/> with System.Text.Json metadata, without a tree. The header is
/// matched to properties once; then each row either creates the object and sets its properties (the direct path,
/// for types with a parameterless constructor) or is written as JSON into a reused buffer and handed to
/// <see cref="JsonSerializer"/> (constructors with parameters, extension data, polymorphism, non-object types).
/// One instance per read; not thread-safe.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
internal sealed class TypedRowMapper<T> : IDisposable
{
    private static readonly JsonWriterOptions RowWriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private readonly string _format;
    private readonly CsvOptions _csv;
    private readonly JsonSerializerOptions _json;
    private readonly JsonTypeInfo<T> _info;
    private readonly Shape _shape;
    private readonly bool _direct;
    private readonly CellConversion _cells = new();
    private readonly ArrayBufferWriter<byte> _rowJson = new(1024);
    private Utf8JsonWriter? _rowWriter;
    private string[]? _header;
    private PropertyPlan?[] _columns = [];
    private JsonEncodedText[] _encodedNames = [];
    private bool _checkedRequired;
    private Func<object?[], T>? _factory;
    private object?[] _values = [];
    private RowFactory? _stringFactory;
    private int _stringCount = -1;
    private RecordLimitStream? _endSignal;
    private long _records;

    public TypedRowMapper(string format, CsvOptions csv, JsonSerializerOptions json, bool forceJson = false)
    {
        _format = format;
        _csv = csv;
        if (!json.IsReadOnly)
        {
            // What System.Text.Json itself does on first use: lock the options and fill in the reflection resolver.
            json.MakeReadOnly(populateMissingResolver: true);
        }

        _json = json;
        _info = (JsonTypeInfo<T>)json.GetTypeInfo(typeof(T));
        _shape = Shape.For(_info);
        _direct = !forceJson && _shape.Direct;
        if (!csv.HasHeader)
        {
            // Without a header, columns map to the properties in metadata order.
            _columns = [.. _shape.Properties];
            _header = [.. _columns.Select(p => p!.Name)];
            _encodedNames = [.. _header.Select(n => JsonEncodedText.Encode(n, JavaScriptEncoder.UnsafeRelaxedJsonEscaping))];
        }
    }

    public void Dispose()
    {
        _rowWriter?.Dispose();
        _cells.Dispose();
    }

    /// <summary>Whether the records are objects (classes, structs, records), the shape a row maps to by column name.</summary>
    public bool MapsObjects => _info.Kind == JsonTypeInfoKind.Object;

    /// <summary>Whether rows set properties directly (true) or go through JSON text (false).</summary>
    public bool IsDirect => _direct;

    /// <summary>
    /// Checks rows for an unclosed quote only once <paramref name="source"/> has reached its end. Sep ends a row only
    /// at a line break outside quotes, so a row with an unclosed quote runs to the end of the input: every row
    /// parsed before the source ran dry has its quotes closed, and the per-row scan can be skipped.
    /// </summary>
    public void CheckQuotesFromEndOf(RecordLimitStream source) => _endSignal = source;

    /// <summary>Whether rows go through the all-string fast path (one tight loop of cell strings and one compiled call).</summary>
    public bool UsesStringFactory => _stringFactory is not null;

    /// <summary>Maps the current row; false for a blank line or the header row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryMap(SepReader reader, out T? value) => TryMap(reader.Current, out value);

    /// <summary>Maps a row; false for a blank line or the header row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryMap(in SepReader.Row row, out T? value)
    {
        // The all-string fast path: a row with every column (so not blank, as there are at least two) whose quotes
        // need no check goes straight to the cells.
        if (_stringFactory is { } strings && row.ColCount == _stringCount && _endSignal is { ReachedEnd: false })
        {
            value = strings(row);
            _records++;
            return true;
        }

        return TryMapRow(row, out value);
    }

    private bool TryMapRow(in SepReader.Row row, out T? value)
    {
        value = default;
        ReadOnlySpan<char> raw = row.Span;
        if (raw.IsEmpty)
        {
            return false;
        }

        if ((_endSignal is null || _endSignal.ReachedEnd) && raw.Contains('"'))
        {
            RowConverter.CheckQuotesClosed(_format, raw, row);
        }

        if (_header is null)
        {
            ReadHeader(row);
            return false;
        }

        int count = row.ColCount;
        if (count != _columns.Length)
        {
            if (_csv.HasHeader || count > _columns.Length)
            {
                RowConverter.ThrowRagged(_format, row, count, _columns.Length, _records);
            }
        }

        if (!_checkedRequired)
        {
            CheckColumns(row);
        }

        if (_stringFactory is { } strings && count == _columns.Length)
        {
            value = strings(row);
        }
        else
        {
            value = _direct ? MapDirect(row, count) : MapThroughJson(row, count);
        }

        _records++;
        return true;
    }

    private void ReadHeader(in SepReader.Row row)
    {
        string[] header = RowConverter.ReadHeader(_format, row);
        Dictionary<string, PropertyPlan> byName = _shape.ByName;

        _columns = new PropertyPlan?[header.Length];
        _encodedNames = new JsonEncodedText[header.Length];
        for (int i = 0; i < header.Length; i++)
        {
            _columns[i] = byName.GetValueOrDefault(header[i]);
            _encodedNames[i] = JsonEncodedText.Encode(_columns[i]?.Name ?? header[i], JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        }

        _header = header;
    }

    /// <summary>Before the first record: required properties need a column, and unknown columns may be refused.</summary>
    private void CheckColumns(in SepReader.Row row)
    {
        _checkedRequired = true;
        if (_info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        if (_direct)
        {
            if (!_csv.InferTypes && _columns.All(c => c is null || (c.Kind == CellKind.String && c.Set is not null)))
            {
                // Every mapped column is a string property: each cell goes straight to its member, no per-cell decisions.
                _stringFactory = _shape.StringFactory(_columns);
                // With one column a blank line has the right count too, so only wider rows take the fast path.
                _stringCount = _columns.Length > 1 ? _columns.Length : -1;
            }

            if (_stringFactory is null)
            {
                // Rows of every column go through the object factory (the string factory takes them all when it exists).
                _factory = _shape.ObjectFactory(_columns);
                _values = new object?[_columns.Length];
            }
        }

        var present = new HashSet<JsonPropertyInfo>(_columns.Where(c => c is not null).Select(c => c!.Property));
        foreach (JsonPropertyInfo property in _info.Properties)
        {
            if (property.IsRequired && !present.Contains(property))
            {
                throw new SerializationException(
                    _format,
                    $"{typeof(T).Name} requires the property '{property.Name}', but no column has that name; add the column (the header names the properties) or make the property optional",
                    RowConverter.LineOf(row),
                    column: null,
                    path: RecordPath(),
                    excerpt: RowConverter.Excerpt(row.Span));
            }
        }

        JsonUnmappedMemberHandling unmapped = _info.UnmappedMemberHandling ?? _json.UnmappedMemberHandling;
        bool hasExtensionData = _info.Properties.Any(p => p.IsExtensionData);
        if (unmapped == JsonUnmappedMemberHandling.Disallow && !hasExtensionData)
        {
            for (int i = 0; i < _columns.Length; i++)
            {
                if (_columns[i] is null)
                {
                    throw new SerializationException(
                        _format,
                        $"the column '{_header![i]}' matches no property of {typeof(T).Name}, and unmapped members are disallowed (JsonUnmappedMemberHandling.Disallow); remove the column or add the property",
                        RowConverter.LineOf(row),
                        column: null,
                        path: RecordPath(),
                        excerpt: RowConverter.Excerpt(row.Span));
                }
            }
        }
    }

    /// <summary>Whether rows are built by one compiled delegate (a constructor call and member assignments).</summary>
    public bool UsesCompiledFactory => _factory is not null;

    /// <summary>A row straight to a record: the all-string fast path (see <see cref="Shape.StringFactory"/>).</summary>
    private delegate T RowFactory(in SepReader.Row row);

    /// <summary>The constructor and, per mapped column, the member it sets and that member's type.</summary>
    private sealed record DirectMembers(ConstructorInfo Constructor, List<(int Column, MemberInfo Member, Type Type)> Members);

    /// <summary>
    /// What the mapper needs to know about <typeparamref name="T"/> under one set of serializer options, worked out once
    /// per <see cref="JsonTypeInfo"/> and shared by every read: the property plans (reading a converter attribute is
    /// reflection), whether rows can set members directly, and the generated factories per column layout (generating
    /// one costs milliseconds, far more than reading a small file). The factory caches are bounded, so inputs with ever
    /// new column orders cannot grow them without limit.
    /// </summary>
    private sealed class Shape
    {
        private const int MaxLayouts = 64;

        private static readonly ConditionalWeakTable<JsonTypeInfo, Shape> Shapes = new();

        private readonly ConstructorInfo? _constructor;
        private readonly Dictionary<PropertyPlan, MemberInfo> _members = new(ReferenceEqualityComparer.Instance);
        private readonly ConcurrentDictionary<string, RowFactory?> _stringFactories = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Func<object?[], T>?> _objectFactories = new(StringComparer.Ordinal);

        private Shape(JsonTypeInfo<T> info)
        {
            JsonSerializerOptions json = info.Options;
            Properties = [.. WritableProperties(info).Select(p => new PropertyPlan(p, json))];
            ByName = new Dictionary<string, PropertyPlan>(json.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            foreach (PropertyPlan plan in Properties)
            {
                ByName.TryAdd(plan.Name, plan);
            }

            Direct = CanSetDirectly(info);

            // Members are set by generated code only where that is exactly what the metadata setters do: the plain
            // reflection resolver without modifiers, a public parameterless constructor, public settable members, no callbacks.
            if (Direct && typeof(T).IsClass && !typeof(T).IsAbstract
                && json.TypeInfoResolver?.GetType() == typeof(DefaultJsonTypeInfoResolver)
                && ((DefaultJsonTypeInfoResolver)json.TypeInfoResolver).Modifiers.Count == 0
                && info.OnDeserializing is null && info.OnDeserialized is null
                && typeof(T).GetConstructor(Type.EmptyTypes) is { IsPublic: true } constructor)
            {
                _constructor = constructor;
                foreach (PropertyPlan plan in Properties)
                {
                    if (DirectMember(plan) is { } member)
                    {
                        _members[plan] = member;
                    }
                }
            }
        }

        /// <summary>The writable properties in metadata order.</summary>
        public PropertyPlan[] Properties { get; }

        /// <summary>The writable properties by name, matched as the options say (case-insensitively or not).</summary>
        public Dictionary<string, PropertyPlan> ByName { get; }

        /// <summary>The reflection-free route is possible: a plain object with a parameterless constructor and settable properties.</summary>
        public bool Direct { get; }

        public static Shape For(JsonTypeInfo<T> info) => Shapes.GetValue(info, static i => new Shape((JsonTypeInfo<T>)i));

        /// <summary>The factory for rows of all-string <paramref name="columns"/>; null where generated code cannot set them.</summary>
        public RowFactory? StringFactory(PropertyPlan?[] columns) => Get(_stringFactories, columns, static members => EmitStringFactory(members));

        /// <summary>The factory taking an <c>object?[]</c> indexed by column; null where generated code cannot set the members.</summary>
        public Func<object?[], T>? ObjectFactory(PropertyPlan?[] columns) => Get(_objectFactories, columns, static members => BuildFactory(members));

        private TFactory? Get<TFactory>(ConcurrentDictionary<string, TFactory?> cache, PropertyPlan?[] columns, Func<DirectMembers, TFactory?> build)
            where TFactory : class
        {
            if (_constructor is null)
            {
                return null;
            }

            // The layout: which property each column sets (-1 for none); the same layout means the same code.
            var key = new System.Text.StringBuilder(columns.Length * 3);
            foreach (PropertyPlan? plan in columns)
            {
                key.Append(plan?.Set is null ? -1 : Array.IndexOf(Properties, plan)).Append(',');
            }

            string layout = key.ToString();
            if (cache.TryGetValue(layout, out TFactory? found))
            {
                return found;
            }

            TFactory? built = MembersOf(columns) is { } members ? build(members) : null;
            if (cache.Count < MaxLayouts)
            {
                cache.TryAdd(layout, built);
            }

            return built;
        }

        private DirectMembers? MembersOf(PropertyPlan?[] columns)
        {
            var members = new List<(int Column, MemberInfo Member, Type Type)>();
            for (int i = 0; i < columns.Length; i++)
            {
                if (columns[i] is not { Set: not null } plan)
                {
                    continue;
                }

                if (!_members.TryGetValue(plan, out MemberInfo? member))
                {
                    return null;
                }

                members.Add((i, member, plan.Property.PropertyType));
            }

            return new DirectMembers(_constructor!, members);
        }

        private static MemberInfo? DirectMember(PropertyPlan plan) => plan.Property.AttributeProvider switch
        {
            PropertyInfo { SetMethod.IsPublic: true } property when property.PropertyType == plan.Property.PropertyType && property.GetIndexParameters().Length == 0 => property,
            FieldInfo { IsPublic: true, IsInitOnly: false, IsLiteral: false } field when field.FieldType == plan.Property.PropertyType => field,
            _ => null,
        };

        /// <summary>The reflection-free route is possible: a plain object with a parameterless constructor and settable properties.</summary>
        private static bool CanSetDirectly(JsonTypeInfo info)
        {
            if (info.Kind != JsonTypeInfoKind.Object || info.CreateObject is null || info.PolymorphismOptions is not null)
            {
                return false;
            }

            foreach (JsonPropertyInfo property in info.Properties)
            {
                if (property.AssociatedParameter is not null || property.IsExtensionData)
                {
                    return false;
                }
            }

            return true;
        }

        private static IEnumerable<JsonPropertyInfo> WritableProperties(JsonTypeInfo info) =>
            info.Kind == JsonTypeInfoKind.Object
                ? info.Properties.Where(p => (p.Set is not null || p.AssociatedParameter is not null) && !p.IsExtensionData)
                : [];

        /// <summary>
        /// Compiles <c>values =&gt; new T { Member = (Type)values[i], ... }</c> for the mapped columns (an <c>object?[]</c>
        /// indexed by column), so a row costs one delegate call instead of one per property.
        /// </summary>
        private static Func<object?[], T> BuildFactory(DirectMembers plan)
        {
            (ConstructorInfo constructor, List<(int Column, MemberInfo Member, Type Type)> members) = plan;
            ParameterExpression values = Expression.Parameter(typeof(object?[]), "values");
            ParameterExpression target = Expression.Variable(typeof(T), "target");
            var body = new List<Expression> { Expression.Assign(target, Expression.New(constructor)) };
            foreach ((int column, MemberInfo member, Type type) in members)
            {
                Expression value = Expression.Convert(Expression.ArrayIndex(values, Expression.Constant(column)), type);
                body.Add(Expression.Assign(Expression.MakeMemberAccess(target, member), value));
            }

            body.Add(target);
            return Expression.Lambda<Func<object?[], T>>(Expression.Block([target], body), values).Compile();
        }

        /// <summary>
        /// For records whose mapped columns are all string members: emits <c>new T { Member = new string(row[i].Span), ... }</c>
        /// as one method taking the row, so a cell goes from Sep's buffer to its member with nothing in between (no array
        /// of cell strings, one write per cell). The span is the cell as Sep unescapes and trims it; the string is made
        /// here rather than through <c>Col.ToString()</c>, whose extra call per cell (to the reader's string factory,
        /// which for our options does exactly this) cost about 5% of a read. Null where code cannot be generated at run
        /// time (then rows take the general direct path).
        /// </summary>
        private static RowFactory? EmitStringFactory(DirectMembers plan)
        {
            if (!RuntimeFeature.IsDynamicCodeSupported)
            {
                return null;
            }

            (ConstructorInfo constructor, List<(int Column, MemberInfo Member, Type Type)> members) = plan;
            MethodInfo cellAt = typeof(SepReader.Row).GetProperty("Item", [typeof(int)])!.GetMethod!;
            MethodInfo cellSpan = typeof(SepReader.Col).GetProperty(nameof(SepReader.Col.Span))!.GetMethod!;
            ConstructorInfo newString = typeof(string).GetConstructor([typeof(ReadOnlySpan<char>)])!;
            var method = new DynamicMethod("MapCsvRow_" + typeof(T).Name, typeof(T), [typeof(SepReader.Row).MakeByRefType()], typeof(T).Module, skipVisibility: true);
            ILGenerator il = method.GetILGenerator();
            LocalBuilder cell = il.DeclareLocal(typeof(SepReader.Col));
            il.Emit(OpCodes.Newobj, constructor);
            foreach ((int column, MemberInfo member, _) in members)
            {
                il.Emit(OpCodes.Dup);
                il.Emit(OpCodes.Ldarg_0);
                il.Emit(OpCodes.Ldc_I4, column);
                il.Emit(OpCodes.Call, cellAt);
                il.Emit(OpCodes.Stloc, cell);
                il.Emit(OpCodes.Ldloca, cell);
                il.Emit(OpCodes.Call, cellSpan);
                il.Emit(OpCodes.Newobj, newString);
                if (member is PropertyInfo property)
                {
                    il.Emit(OpCodes.Callvirt, property.SetMethod!);
                }
                else
                {
                    il.Emit(OpCodes.Stfld, (FieldInfo)member);
                }
            }

            il.Emit(OpCodes.Ret);
            return method.CreateDelegate<RowFactory>();
        }
    }

    private T? MapDirect(in SepReader.Row row, int count)
    {
        if (_factory is { } factory && count == _columns.Length)
        {
            return MapCompiled(row, count, factory);
        }

        object target = _info.CreateObject!() ?? throw new InvalidOperationException(typeof(T).Name + "'s constructor returned null.");
        _info.OnDeserializing?.Invoke(target);
        PropertyPlan?[] columns = _columns;
        bool emptyIsNull = _csv.InferTypes;
        for (int i = 0; i < count; i++)
        {
            PropertyPlan? plan = columns[i];
            if (plan?.Set is not { } set)
            {
                continue;
            }

            if (plan.Kind == CellKind.String)
            {
                SepReader.Col col = row[i];
                set(target, emptyIsNull && col.Span.IsEmpty ? null : col.ToString());
                continue;
            }

            ReadOnlySpan<char> text = row[i].Span;
            object? converted = _cells.Parse(text, plan, emptyIsNull, out bool ok);
            if (!ok)
            {
                throw ConversionError(row, i, text, plan);
            }

            set(target, converted);
        }

        _info.OnDeserialized?.Invoke(target);
        return (T?)target;
    }

    private T? MapCompiled(in SepReader.Row row, int count, Func<object?[], T> factory)
    {
        PropertyPlan?[] columns = _columns;
        object?[] values = _values;
        bool emptyIsNull = _csv.InferTypes;
        for (int i = 0; i < count; i++)
        {
            PropertyPlan? plan = columns[i];
            if (plan is null)
            {
                continue;
            }

            if (plan.Kind == CellKind.String)
            {
                SepReader.Col col = row[i];
                values[i] = emptyIsNull && col.Span.IsEmpty ? null : col.ToString();
                continue;
            }

            ReadOnlySpan<char> text = row[i].Span;
            object? converted = _cells.Parse(text, plan, emptyIsNull, out bool ok);
            if (!ok)
            {
                throw ConversionError(row, i, text, plan);
            }

            values[i] = converted;
        }

        // Every mapped slot is overwritten by the next row, so the array is not cleared.
        return factory(values);
    }

    private T? MapThroughJson(in SepReader.Row row, int count)
    {
        _rowJson.ResetWrittenCount();
        Utf8JsonWriter writer = _rowWriter ??= new Utf8JsonWriter(_rowJson, RowWriterOptions);
        writer.Reset(_rowJson);
        bool emptyIsNull = _csv.InferTypes;
        writer.WriteStartObject();
        for (int i = 0; i < count; i++)
        {
            PropertyPlan? plan = _columns[i];
            ReadOnlySpan<char> text = row[i].Span;
            writer.WritePropertyName(_encodedNames[i]);
            if (plan is null || plan.Kind == CellKind.String)
            {
                if (emptyIsNull && text.IsEmpty)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(text);
                }

                continue;
            }

            if (plan.Kind == CellKind.Json)
            {
                WriteJsonCell(writer, text, plan, row, i);
                continue;
            }

            object? converted = _cells.Parse(text, plan, emptyIsNull, out bool ok);
            if (!ok)
            {
                throw ConversionError(row, i, text, plan);
            }

            WriteTyped(writer, converted, text);
        }

        writer.WriteEndObject();
        writer.Flush();
        try
        {
            return JsonSerializer.Deserialize(_rowJson.WrittenSpan, _info);
        }
        catch (JsonException ex)
        {
            throw new SerializationException(
                _format,
                $"the row does not fit {typeof(T).Name}: {TrimPath(ex.Message)}",
                RowConverter.LineOf(row),
                column: null,
                path: RecordPath() + (ex.Path is { Length: > 1 } p ? p[1..] : string.Empty),
                excerpt: RowConverter.Excerpt(row.Span),
                innerException: ex);
        }
        catch (NotSupportedException ex)
        {
            throw new SerializationException(
                _format,
                $"{typeof(T).Name} cannot be read from a row: {TrimPath(ex.Message)}",
                RowConverter.LineOf(row),
                column: null,
                path: RecordPath(),
                innerException: ex);
        }
    }

    private void WriteJsonCell(Utf8JsonWriter writer, ReadOnlySpan<char> text, PropertyPlan plan, in SepReader.Row row, int index)
    {
        if (text.IsEmpty && plan.Nullable)
        {
            writer.WriteNullValue();
            return;
        }

        // Parse the cell separately so a bad cell is reported with its column, then write its JSON form.
        object? value = _cells.Parse(text, plan, _csv.InferTypes, out bool ok);
        if (!ok)
        {
            throw ConversionError(row, index, text, plan);
        }

        JsonSerializer.Serialize(writer, value, plan.Json.GetTypeInfo(plan.Property.PropertyType));
    }

    private static void WriteTyped(Utf8JsonWriter writer, object? value, ReadOnlySpan<char> text)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case short s16: writer.WriteNumberValue(s16); break;
            case byte u8: writer.WriteNumberValue(u8); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case Guid g: writer.WriteStringValue(g); break;
            case DateTime dt: writer.WriteStringValue(dt); break;
            case DateTimeOffset dto: writer.WriteStringValue(dto); break;
            case DateOnly date: writer.WriteStringValue(date.ToString("O", CultureInfo.InvariantCulture)); break;
            case TimeOnly time: writer.WriteStringValue(time.ToString("HH':'mm':'ss'.'fffffff", CultureInfo.InvariantCulture)); break;
            case Enum e: writer.WriteNumberValue(System.Convert.ToInt64(e, CultureInfo.InvariantCulture)); break;
            default: writer.WriteStringValue(text); break;
        }
    }

    private SerializationException ConversionError(in SepReader.Row row, int index, ReadOnlySpan<char> text, PropertyPlan plan)
    {
        string shown = RowConverter.Excerpt(text);
        string problem = text.IsEmpty
            ? $"the column '{_header![index]}' is empty, but {typeof(T).Name}.{plan.Property.Name} is {CellConversion.TypeName(plan.Property.PropertyType)}, which cannot be null; fill the cell or make the property nullable"
            : $"the value '{shown}' in column '{_header![index]}' is not a valid {CellConversion.TypeName(plan.Property.PropertyType)} (for {typeof(T).Name}.{plan.Property.Name}); numbers and dates are read invariantly (1234.5, 2024-01-31)";
        return new SerializationException(
            _format,
            problem,
            RowConverter.LineOf(row),
            column: null,
            path: RecordPath() + "." + plan.Name,
            excerpt: RowConverter.Excerpt(row.Span));
    }

    private string RecordPath() => "$[" + _records.ToString(CultureInfo.InvariantCulture) + "]";

    private static string TrimPath(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut].TrimEnd() : message;
    }
}
