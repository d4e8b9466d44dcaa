using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace XSystem.Validation.Internal;

internal sealed partial class ModelPlan
{
    private static ModelPlan Build(Type type, Dictionary<Type, ModelPlan> building)
    {
        var plan = new ModelPlan(type);
        building[type] = plan;
        plan.Converter = new ModelConverter(plan);

        var config = type.GetCustomAttribute<ModelConfigAttribute>(inherit: true);
        if (config is not null)
        {
            plan.Extra = config.Extra;
            plan.Strict = config.Strict;
            plan.Title = config.Title ?? type.Name;
            plan.Description = config.Description;
        }

        plan.Description ??= type.GetCustomAttribute<DescriptionAttribute>()?.Description;

        var ctors = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance);
        var parameterless = ctors.FirstOrDefault(c => c.GetParameters().Length == 0);
        var ctor = parameterless ?? ctors.OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new InvalidOperationException($"Model type '{type.FullName}' has no public constructor; add one so it can be created from validated input.");
        var parameters = ctor.GetParameters();
        object? prototype = null;
        if (parameterless is not null)
        {
            try
            {
                prototype = parameterless.Invoke(null);
            }
            catch (TargetInvocationException)
            {
                prototype = null;
            }
        }

        var nullability = new NullabilityInfoContext();
        var fields = new List<FieldPlan>();
        var members = new List<(FieldPlan Field, PropertyInfo Property, ParameterInfo? Parameter)>();
        foreach (var prop in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (prop.GetIndexParameters().Length != 0 || prop.GetMethod is not { IsPublic: true } || prop.DeclaringType == typeof(XModel)
                || prop.IsDefined(typeof(JsonIgnoreAttribute), true))
            {
                continue;
            }

            var param = parameters.FirstOrDefault(p => string.Equals(p.Name, prop.Name, StringComparison.OrdinalIgnoreCase) && p.ParameterType == prop.PropertyType);
            var settable = prop.SetMethod is { IsPublic: true };
            if (!settable && param is null)
            {
                continue;
            }

            var attrs = prop.GetCustomAttributes(true).Concat(param?.GetCustomAttributes(true) ?? []).OfType<Attribute>().ToList();
            var fa = attrs.OfType<FieldAttribute>().FirstOrDefault();
            var ni = param is not null ? nullability.Create(param) : nullability.Create(prop);
            var constraints = BuildConstraints(attrs, prop.PropertyType, out var requiredAttr);
            var converter = CreateConverter(prop.PropertyType, ni, constraints, building, $"{type.Name}.{prop.Name}");
            var nullable = Nullable.GetUnderlyingType(prop.PropertyType) is not null || (!prop.PropertyType.IsValueType && ni.ReadState != NullabilityState.NotNull);
            var wire = fa?.Alias ?? prop.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonHelpers.CamelCase(prop.Name);
            var field = new FieldPlan
            {
                Name = prop.Name,
                WireName = wire,
                Type = prop.PropertyType,
                Converter = converter,
                Description = fa?.Description ?? attrs.OfType<DescriptionAttribute>().FirstOrDefault()?.Description,
                Examples = fa?.Examples,
            };

            if (fa?.Default is not null)
            {
                field.HasDefault = true;
                var st = ValidationState.Rent(false);
                try
                {
                    field.DefaultValue = converter.Convert(fa.Default, st);
                    if (st.ErrorCount > 0 || ReferenceEquals(field.DefaultValue, Internal.Converter.Failed))
                    {
                        throw new InvalidOperationException($"The Default of field '{type.Name}.{prop.Name}' does not validate: {st.Errors![0]}.");
                    }
                }
                finally
                {
                    ValidationState.Return(st);
                }

                field.SchemaDefault = converter.ToJson(field.DefaultValue);
            }

            var keyword = prop.IsDefined(typeof(RequiredMemberAttribute), true);
            if (param is not null)
            {
                field.Required = keyword || requiredAttr || (!param.HasDefaultValue && !nullable && !field.HasDefault);
                if (!field.Required && param.HasDefaultValue && param.DefaultValue is not null && field.SchemaDefault is null)
                {
                    field.SchemaDefault = converter.ToJson(param.DefaultValue);
                }
            }
            else
            {
                field.Required = keyword || requiredAttr || (!nullable && !field.HasDefault && !HasInitializer(prop, prototype));
                if (!field.Required && field.SchemaDefault is null && prototype is not null)
                {
                    var v = prop.GetValue(prototype);
                    if (v is not null)
                    {
                        field.SchemaDefault = converter.ToJson(v);
                    }
                }
            }

            field.Getter = CompileGetter(type, prop);
            fields.Add(field);
            members.Add((field, prop, settable && param is null ? null : param));
        }

        plan.Fields = [.. fields];
        var lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            lookup.TryAdd(fields[i].WireName, i);
        }

        for (var i = 0; i < fields.Count; i++)
        {
            lookup.TryAdd(fields[i].Name, i);
            lookup.TryAdd(JsonHelpers.CamelCase(fields[i].Name), i);
        }

        plan.Lookup = lookup.ToFrozenDictionary(StringComparer.Ordinal);
        plan._template = new object?[fields.Count];
        plan.Factory = CompileFactory(type, ctor, members);
        plan.HasModelValidator = NeedsModelValidator(type);
        AttachValidators(plan, type);
        return plan;
    }

    /// <summary>Whether validated instances need the model-level hook: XModels only when they override <c>Validate</c>.</summary>
    private static bool NeedsModelValidator(Type type)
    {
        if (!typeof(IValidatableModel).IsAssignableFrom(type))
        {
            return false;
        }

        if (!typeof(XModel).IsAssignableFrom(type))
        {
            return true;
        }

        var hook = type.GetMethod("Validate", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, null, [typeof(ModelErrors)], null);
        return hook is null || hook.DeclaringType != typeof(XModel);
    }

    private static Constraints BuildConstraints(List<Attribute> attrs, Type type, out bool required)
    {
        required = false;
        var c = new Constraints();
        var any = false;
        foreach (var a in attrs)
        {
            switch (a)
            {
                case FieldAttribute f:
                    c.Ge = f.Ge;
                    c.Gt = f.Gt;
                    c.Le = f.Le;
                    c.Lt = f.Lt;
                    c.MultipleOf = f.MultipleOf;
                    if (f.MultipleOf is <= 0)
                    {
                        throw new InvalidOperationException("Field MultipleOf must be positive.");
                    }

                    c.MinLength = f.MinLength >= 0 ? f.MinLength : c.MinLength;
                    c.MaxLength = f.MaxLength >= 0 ? f.MaxLength : c.MaxLength;
                    if (f.Pattern is not null)
                    {
                        c.SetPattern(f.Pattern);
                    }

                    c.Strict = f.Strict;
                    any = true;
                    break;
                case RangeAttribute r when r.OperandType == typeof(int) || r.OperandType == typeof(double) || r.Minimum is IConvertible && r.OperandType.IsPrimitive:
                    var min = Convert.ToDouble(r.Minimum, CultureInfo.InvariantCulture);
                    var max = Convert.ToDouble(r.Maximum, CultureInfo.InvariantCulture);
                    if (r.MinimumIsExclusive)
                    {
                        c.Gt = min;
                    }
                    else
                    {
                        c.Ge = min;
                    }

                    if (r.MaximumIsExclusive)
                    {
                        c.Lt = max;
                    }
                    else
                    {
                        c.Le = max;
                    }

                    any = true;
                    break;
                case StringLengthAttribute sl:
                    c.MaxLength = sl.MaximumLength;
                    if (sl.MinimumLength > 0)
                    {
                        c.MinLength = sl.MinimumLength;
                    }

                    any = true;
                    break;
                case LengthAttribute la:
                    c.MinLength = la.MinimumLength;
                    c.MaxLength = la.MaximumLength;
                    any = true;
                    break;
                case MinLengthAttribute ml:
                    c.MinLength = ml.Length;
                    any = true;
                    break;
                case MaxLengthAttribute xl when xl.Length >= 0:
                    c.MaxLength = xl.Length;
                    any = true;
                    break;
                case RegularExpressionAttribute re:
                    // DataAnnotations requires the whole string to match.
                    c.SetPattern("^(?:" + re.Pattern + ")$");
                    any = true;
                    break;
                case EmailAddressAttribute:
                    c.Format = StringFormat.Email;
                    any = true;
                    break;
                case UrlAttribute:
                    c.Format = StringFormat.Url;
                    any = true;
                    break;
                case RequiredAttribute ra:
                    required = true;
                    if (!ra.AllowEmptyStrings && type == typeof(string) && c.MinLength < 1)
                    {
                        c.MinLength = 1;
                        any = true;
                    }

                    break;
            }
        }

        return any ? c : Constraints.None;
    }

    private static readonly Constraints StrictOnly = new() { Strict = true };

    internal static Converter CreateConverter(Type t, NullabilityInfo? ni, Constraints c, Dictionary<Type, ModelPlan> building, string where)
    {
        var underlying = Nullable.GetUnderlyingType(t);
        if (underlying is not null)
        {
            return new NullableConverter(CreateCore(underlying, null, c, building, where));
        }

        var core = CreateCore(t, ni, c, building, where);
        if (!t.IsValueType && ni is not null && ni.ReadState != NullabilityState.NotNull)
        {
            return new NullableConverter(core);
        }

        return core;
    }

    private static Converter CreateCore(Type t, NullabilityInfo? ni, Constraints c, Dictionary<Type, ModelPlan> building, string where)
    {
        if (t == typeof(string))
        {
            return new StringConverter(c);
        }

        if (t == typeof(bool))
        {
            return new BoolConverter(c);
        }

        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong) || t == typeof(Int128))
        {
            return (Converter)Activator.CreateInstance(typeof(IntConverter<>).MakeGenericType(t), c)!;
        }

        if (t == typeof(double) || t == typeof(float) || t == typeof(Half))
        {
            return (Converter)Activator.CreateInstance(typeof(FloatConverter<>).MakeGenericType(t), c)!;
        }

        if (t == typeof(decimal))
        {
            return new DecimalConverter(c);
        }

        if (t.IsEnum)
        {
            return new EnumConverter(t, c);
        }

        if (TextValues.IsTextValue(t))
        {
            return TextValues.Create(t, c);
        }

        if (t == typeof(object) || typeof(JsonNode).IsAssignableFrom(t) || t == typeof(JsonElement))
        {
            return new AnyConverter(t);
        }

        var itemConstraints = c.Strict ? StrictOnly : Constraints.None;
        if (t.IsArray && t.GetArrayRank() == 1)
        {
            var et = t.GetElementType()!;
            var item = CreateConverter(et, ni?.ElementType, itemConstraints, building, where + "[]");
            return (Converter)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(et), item, c, CollectionKind.Array)!;
        }

        if (t.IsGenericType)
        {
            var def = t.GetGenericTypeDefinition();
            var args = t.GetGenericArguments();
            if (def == typeof(List<>) || def == typeof(IList<>) || def == typeof(ICollection<>) || def == typeof(IEnumerable<>) || def == typeof(IReadOnlyList<>) || def == typeof(IReadOnlyCollection<>)
                || def == typeof(HashSet<>) || def == typeof(ISet<>) || def == typeof(IReadOnlySet<>))
            {
                var kind = def == typeof(HashSet<>) || def == typeof(ISet<>) || def == typeof(IReadOnlySet<>) ? CollectionKind.HashSet : CollectionKind.List;
                var itemNi = ni is { GenericTypeArguments.Length: 1 } ? ni.GenericTypeArguments[0] : null;
                var item = CreateConverter(args[0], itemNi, itemConstraints, building, where + "[]");
                return (Converter)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(args[0]), item, c, kind)!;
            }

            if ((def == typeof(Dictionary<,>) || def == typeof(IDictionary<,>) || def == typeof(IReadOnlyDictionary<,>)) && args[0] == typeof(string))
            {
                var itemNi = ni is { GenericTypeArguments.Length: 2 } ? ni.GenericTypeArguments[1] : null;
                var item = CreateConverter(args[1], itemNi, itemConstraints, building, where + "{}");
                return (Converter)Activator.CreateInstance(typeof(DictConverter<>).MakeGenericType(args[1]), item, c)!;
            }
        }

        if (IsModelType(t))
        {
            return GetOrBuild(t, building).Converter;
        }

        throw new NotSupportedException($"The type '{t}' of '{where}' is not supported by XSystem.Validation. Use a primitive, string, enum, date/time, Guid, Uri, a collection, a dictionary with string keys, JsonNode, or another model (an XModel subclass or a record).");
    }

    private static bool HasInitializer(PropertyInfo prop, object? prototype)
    {
        var declaring = prop.DeclaringType!;
        if (prototype is not null && !prop.PropertyType.IsValueType)
        {
            // A reference-type member is optional when the created object already holds a value ("= null!" does not count).
            return prop.GetValue(prototype) is not null;
        }

        var backing = declaring.GetField($"<{prop.Name}>k__BackingField", BindingFlags.Instance | BindingFlags.NonPublic);
        if (backing is not null)
        {
            var fieldToken = backing.MetadataToken;
            var setterToken = prop.SetMethod?.MetadataToken ?? 0;
            foreach (var ctor in declaring.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                var ps = ctor.GetParameters();
                if (ps.Length == 1 && ps[0].ParameterType == declaring)
                {
                    continue; // record copy constructor
                }

                var il = ctor.GetMethodBody()?.GetILAsByteArray();
                if (il is not null && (ContainsToken(il, 0x7D, fieldToken) || (setterToken != 0 && ContainsToken(il, 0x28, setterToken))))
                {
                    return true;
                }
            }

            return false;
        }

        if (prototype is not null)
        {
            var v = prop.GetValue(prototype);
            return v is not null && (!prop.PropertyType.IsValueType || !v.Equals(Activator.CreateInstance(prop.PropertyType)));
        }

        return prop.PropertyType.IsValueType;
    }

    private static bool ContainsToken(byte[] il, byte opcode, int token)
    {
        for (var i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] == opcode && BitConverter.ToInt32(il, i + 1) == token)
            {
                return true;
            }
        }

        return false;
    }

    private static Func<object, object?> CompileGetter(Type type, PropertyInfo prop)
    {
        var o = Expression.Parameter(typeof(object), "o");
        var body = Expression.Convert(Expression.Property(Expression.Convert(o, type), prop), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, o).Compile();
    }

    private static Func<object?[], object> CompileFactory(Type type, ConstructorInfo ctor, List<(FieldPlan Field, PropertyInfo Property, ParameterInfo? Parameter)> members)
    {
        var slots = Expression.Parameter(typeof(object?[]), "slots");
        var unset = Expression.Constant(Unset);
        var args = new List<Expression>();
        foreach (var p in ctor.GetParameters())
        {
            var index = members.FindIndex(m => m.Parameter == p);
            Expression fallback = p.HasDefaultValue && p.DefaultValue is not null && p.DefaultValue is not DBNull
                ? Expression.Constant(p.DefaultValue, p.ParameterType)
                : Expression.Default(p.ParameterType);
            if (p.HasDefaultValue && p.DefaultValue is not null && p.ParameterType.IsValueType && Nullable.GetUnderlyingType(p.ParameterType) is { } u)
            {
                fallback = Expression.Convert(Expression.Constant(Convert.ChangeType(p.DefaultValue, u, CultureInfo.InvariantCulture), u), p.ParameterType);
            }

            if (index < 0)
            {
                args.Add(fallback);
                continue;
            }

            var slot = Expression.ArrayIndex(slots, Expression.Constant(index));
            args.Add(Expression.Condition(Expression.ReferenceEqual(slot, unset), fallback, Expression.Convert(slot, p.ParameterType)));
        }

        var model = Expression.Variable(type, "model");
        var body = new List<Expression> { Expression.Assign(model, Expression.New(ctor, args)) };
        for (var i = 0; i < members.Count; i++)
        {
            var (_, prop, param) = members[i];
            if (param is not null)
            {
                continue;
            }

            var slot = Expression.ArrayIndex(slots, Expression.Constant(i));
            body.Add(Expression.IfThen(
                Expression.Not(Expression.ReferenceEqual(slot, unset)),
                Expression.Assign(Expression.Property(model, prop), Expression.Convert(slot, prop.PropertyType))));
        }

        body.Add(Expression.Convert(model, typeof(object)));
        return Expression.Lambda<Func<object?[], object>>(Expression.Block([model], body), slots).Compile();
    }

    private static void AttachValidators(ModelPlan plan, Type type)
    {
        var methods = type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.FlattenHierarchy);
        var byField = new Dictionary<FieldPlan, List<Func<object?, object?>>>();
        foreach (var m in methods)
        {
            foreach (var attr in m.GetCustomAttributes<FieldValidatorAttribute>(true))
            {
                var ps = m.GetParameters();
                if (ps.Length != 1 || m.IsGenericMethodDefinition)
                {
                    throw new InvalidOperationException($"Field validator '{type.Name}.{m.Name}' must be 'static T {m.Name}(T value)'.");
                }

                foreach (var name in attr.Fields)
                {
                    var field = plan.Fields.FirstOrDefault(f => f.Name == name)
                        ?? throw new InvalidOperationException($"Field validator '{type.Name}.{m.Name}' names '{name}', which is not a field of {type.Name}.");
                    if (!ps[0].ParameterType.IsAssignableFrom(field.Type) && Nullable.GetUnderlyingType(field.Type) != ps[0].ParameterType)
                    {
                        throw new InvalidOperationException($"Field validator '{type.Name}.{m.Name}' takes {ps[0].ParameterType.Name} but field '{name}' is {field.Type.Name}.");
                    }

                    var v = Expression.Parameter(typeof(object), "v");
                    var call = Expression.Call(m, Expression.Convert(v, ps[0].ParameterType));
                    Expression body = m.ReturnType == typeof(void)
                        ? Expression.Block(call, v)
                        : Expression.Convert(call, typeof(object));
                    var fn = Expression.Lambda<Func<object?, object?>>(body, v).Compile();
                    if (!byField.TryGetValue(field, out var list))
                    {
                        byField[field] = list = [];
                    }

                    list.Add(fn);
                }
            }
        }

        foreach (var kv in byField)
        {
            kv.Key.Validators = [.. kv.Value];
        }
    }
}

/// <summary>Reads the public properties of arbitrary input objects through cached compiled getters.</summary>
internal static class AttributeReader
{
    private static readonly ConcurrentDictionary<Type, (string Name, Func<object, object?> Get)[]> Cache = new();

    public static List<KeyValuePair<string, object?>> Read(object source)
    {
        var getters = Cache.GetOrAdd(source.GetType(), static t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true })
            .Select(p =>
            {
                var o = Expression.Parameter(typeof(object), "o");
                var body = Expression.Convert(Expression.Property(Expression.Convert(o, t), p), typeof(object));
                return (p.Name, Expression.Lambda<Func<object, object?>>(body, o).Compile());
            })
            .ToArray());
        var list = new List<KeyValuePair<string, object?>>(getters.Length);
        foreach (var (name, get) in getters)
        {
            list.Add(new(name, get(source)));
        }

        return list;
    }
}
