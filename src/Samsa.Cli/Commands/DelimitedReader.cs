using System.Buffers;

namespace Samsa.Cli.Commands;

/// <summary>Splits a stream into delimited records; the final record needs no delimiter. Returns slices of a reused buffer.</summary>
internal sealed class DelimitedReader(Stream input, byte[] delimiter)
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The next record (valid until the next call), or null at the end of input.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> NextAsync(CancellationToken cancellationToken)
    {
        int searchFrom = _start;
        while (true)
        {
            int at = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf(delimiter);
            if (at >= 0)
            {
                int recordEnd = searchFrom + at;
                var record = new ReadOnlyMemory<byte>(_buffer, _start, recordEnd - _start);
                _start = recordEnd + delimiter.Length;
                return record;
            }

            if (_eof)
            {
                if (_start == _end)
                {
                    return null;
                }

                var last = new ReadOnlyMemory<byte>(_buffer, _start, _end - _start);
                _start = _end;
                return last;
            }

            // Keep searching where the last search stopped (minus a partial delimiter), after reading more.
            searchFrom = Math.Max(_start, _end - delimiter.Length + 1);
            int shift = Compact();
            searchFrom -= shift;
            int read = await input.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }

    /// <summary>Moves unread bytes to the front (growing the buffer when a record fills it); returns how far they moved.</summary>
    private int Compact()
    {
        int shift = _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return shift;
    }
}
