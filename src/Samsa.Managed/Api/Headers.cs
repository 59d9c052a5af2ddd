using System.Collections;
using System.Text;

namespace Samsa;

/// <summary>The ordered headers of a message; keys may repeat, as in Kafka.</summary>
public sealed class Headers : IReadOnlyList<Header>
{
    private readonly List<Header> _headers;

    public Headers()
    {
        _headers = [];
    }

    public Headers(int capacity)
    {
        _headers = new List<Header>(capacity);
    }

    public int Count => _headers.Count;

    public Header this[int index] => _headers[index];

    public void Add(Header header) => _headers.Add(header);

    public void Add(string key, byte[]? value) => _headers.Add(new Header(key, value));

    public void Add(string key, ReadOnlyMemory<byte> value) => _headers.Add(new Header(key, value));

    /// <summary>Adds a header whose value is the UTF-8 encoding of <paramref name="value"/>.</summary>
    public void Add(string key, string? value) =>
        _headers.Add(value is null ? new Header(key, null) : new Header(key, Encoding.UTF8.GetBytes(value)));

    /// <summary>Removes every header with the key.</summary>
    public void Remove(string key) => _headers.RemoveAll(h => h.Key == key);

    /// <summary>The value of the last header with the key (Kafka's "last wins" reading), or false.</summary>
    public bool TryGetLastValue(string key, out ReadOnlyMemory<byte> value)
    {
        for (int i = _headers.Count - 1; i >= 0; i--)
        {
            if (_headers[i].Key == key)
            {
                value = _headers[i].Value;
                return !_headers[i].ValueIsNull;
            }
        }

        value = default;
        return false;
    }

    public List<Header>.Enumerator GetEnumerator() => _headers.GetEnumerator();

    IEnumerator<Header> IEnumerable<Header>.GetEnumerator() => _headers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _headers.GetEnumerator();
}
