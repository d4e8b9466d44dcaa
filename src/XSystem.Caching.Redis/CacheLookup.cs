using System.Diagnostics.CodeAnalysis;

namespace XSystem.Caching.Redis;

/// <summary>
/// The outcome of an asynchronous lookup: whether the key was found and, if so, its value. It stands in for the
/// <c>out</c> parameter that <c>TryGet</c> has and an async method cannot.
/// </summary>
/// <typeparam name="TValue">The value type.</typeparam>
/// <remarks>A miss is <c>default(CacheLookup&lt;TValue&gt;)</c>; a hit is <c>new CacheLookup&lt;TValue&gt;(value)</c>. Thread safety: an immutable value.</remarks>
public readonly struct CacheLookup<TValue> : IEquatable<CacheLookup<TValue>>
{
    private readonly TValue _value;

    /// <summary>Creates a lookup that found <paramref name="value"/>; <c>default</c> is a miss.</summary>
    /// <param name="value">The value found.</param>
    public CacheLookup(TValue value)
    {
        _value = value;
        Found = true;
    }

    /// <summary>Whether the key was found.</summary>
    public bool Found { get; }

    /// <summary>The value when <see cref="Found"/>; otherwise the default of <typeparamref name="TValue"/>.</summary>
    public TValue Value => _value;

    /// <summary>Gets the value when it was found.</summary>
    /// <param name="value">The value when found.</param>
    /// <returns><see langword="true"/> when the key was found.</returns>
    public bool TryGetValue([MaybeNullWhen(false)] out TValue value)
    {
        value = _value;
        return Found;
    }

    /// <inheritdoc/>
    public bool Equals(CacheLookup<TValue> other) => Found == other.Found && EqualityComparer<TValue>.Default.Equals(_value, other._value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is CacheLookup<TValue> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Found, _value);

    /// <inheritdoc/>
    public override string ToString() => Found ? $"Hit({_value})" : "Miss";

    /// <summary>Compares two lookups.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when both found the same value or both missed.</returns>
    public static bool operator ==(CacheLookup<TValue> left, CacheLookup<TValue> right) => left.Equals(right);

    /// <summary>Compares two lookups.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(CacheLookup<TValue> left, CacheLookup<TValue> right) => !left.Equals(right);
}
