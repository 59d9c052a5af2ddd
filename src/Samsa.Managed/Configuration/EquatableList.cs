using System.Collections;

namespace Samsa;

/// <summary>
/// An immutable list equal to another with the same items in the same order. Config records keep their lists
/// (assignors, warnings) in one, so that records compare by value and callers cannot change them afterwards.
/// </summary>
internal sealed class EquatableList<T> : IReadOnlyList<T>, IEquatable<EquatableList<T>>
{
    public static readonly EquatableList<T> Empty = new([]);

    private readonly T[] _items;

    public EquatableList(IEnumerable<T> items)
    {
        _items = [.. items];
    }

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    /// <summary>The list itself when it already is one, else a copy; null stays null.</summary>
    public static EquatableList<T>? Of(IReadOnlyList<T>? items) =>
        items is null ? null : items as EquatableList<T> ?? new EquatableList<T>(items);

    public bool Equals(EquatableList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is EquatableList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (T item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
