using System.Buffers;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Samsa.Compression;

/// <summary>
/// Zstandard through ZstdSharp. Compression writes one frame with its content size; decompression reads frames
/// with or without a content size (the Java client streams frames without one), concatenated or not.
/// Levels: negative fast levels to 22; default 3 (zstd's own). Contexts are cached per thread.
/// </summary>
public sealed unsafe class ZstdCodec : ICompressionCodec
{
    private const ulong ContentSizeUnknown = ulong.MaxValue;
    private const ulong ContentSizeError = ulong.MaxValue - 1;
    private const int StreamChunk = 128 * 1024;

    [ThreadStatic]
    private static Compressor? t_compressor;

    [ThreadStatic]
    private static ZstdDecoderContext? t_decoder;

    /// <summary>The shared instance.</summary>
    public static ZstdCodec Instance { get; } = new();

    /// <inheritdoc />
    public CompressionType Type => CompressionType.Zstd;

    /// <inheritdoc />
    public int DefaultLevel => 3;

    /// <inheritdoc />
    public int Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination, int level = -1)
    {
        int lvl = level == -1 ? DefaultLevel : Math.Clamp(level, Compressor.MinCompressionLevel, Compressor.MaxCompressionLevel);
        Compressor compressor = t_compressor ??= new Compressor(lvl);
        compressor.Level = lvl;
        Span<byte> span = destination.GetSpan(Compressor.GetCompressBound(source.Length));
        int n;
        try
        {
            n = compressor.Wrap(source, span);
        }
        catch (ZstdException e)
        {
            throw new KafkaException(ErrorCode.LocalFail, $"zstd compression failed: {e.Message}", e);
        }

        destination.Advance(n);
        return n;
    }

    /// <inheritdoc />
    public int Decompress(ReadOnlyMemory<byte> source, IBufferWriter<byte> destination, int maxOutputBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxOutputBytes);
        ReadOnlySpan<byte> src = source.Span;
        if (src.IsEmpty)
        {
            throw CompressionErrors.Corrupt(Type, "no frame.");
        }

        ZstdDecoderContext decoder = t_decoder ??= new ZstdDecoderContext();
        ulong size;
        fixed (byte* srcPtr = src)
        {
            size = Methods.ZSTD_findDecompressedSize(srcPtr, (nuint)src.Length);
        }

        if (size == ContentSizeError)
        {
            throw CompressionErrors.Corrupt(Type, "not a zstd frame, or a frame header is malformed.");
        }

        if (size == ContentSizeUnknown)
        {
            // Frames streamed without a content size: reserve zstd's upper bound (block count × block size).
            ulong bound;
            fixed (byte* srcPtr = src)
            {
                bound = Methods.ZSTD_decompressBound(srcPtr, (nuint)src.Length);
            }

            if (bound != ContentSizeError && bound > 0)
            {
                destination.GetSpan((int)Math.Min(bound, (ulong)maxOutputBytes));
            }

            return decoder.DecompressStreaming(src, destination, maxOutputBytes, StreamChunk);
        }

        if (size > (ulong)maxOutputBytes)
        {
            throw CompressionErrors.TooLarge(Type, maxOutputBytes);
        }

        int expected = (int)size;
        Span<byte> span = destination.GetSpan(Math.Max(expected, 1));
        int n = decoder.DecompressWhole(src, span[..expected]);
        if (n != expected)
        {
            throw CompressionErrors.Corrupt(Type, $"frames announce {expected} bytes but hold {n}.");
        }

        destination.Advance(n);
        return n;
    }

    /// <summary>A zstd decompression context owned by one thread; freed by its finalizer when the thread ends.</summary>
    private sealed class ZstdDecoderContext
    {
        private readonly ZSTD_DCtx_s* _dctx;

        public ZstdDecoderContext()
        {
            _dctx = Methods.ZSTD_createDCtx();
            if (_dctx == null)
            {
                throw new InsufficientMemoryException("zstd could not allocate a decompression context.");
            }
        }

        ~ZstdDecoderContext()
        {
            Methods.ZSTD_freeDCtx(_dctx);
        }

        public int DecompressWhole(ReadOnlySpan<byte> src, Span<byte> dst)
        {
            nuint ret;
            fixed (byte* srcPtr = src)
            fixed (byte* dstPtr = dst)
            {
                ret = Methods.ZSTD_decompressDCtx(_dctx, dstPtr, (nuint)dst.Length, srcPtr, (nuint)src.Length);
            }

            Check(ret);
            return (int)ret;
        }

        public int DecompressStreaming(ReadOnlySpan<byte> src, IBufferWriter<byte> destination, int maxOutputBytes, int chunk)
        {
            Check(Methods.ZSTD_DCtx_reset(_dctx, ZSTD_ResetDirective.ZSTD_reset_session_only));
            long total = 0;
            fixed (byte* srcPtr = src)
            {
                var input = new ZSTD_inBuffer_s { src = srcPtr, size = (nuint)src.Length, pos = 0 };
                while (true)
                {
                    // One byte past the limit at most, so that going over is noticed without decoding on.
                    int want = (int)Math.Min(chunk, maxOutputBytes - total + 1);
                    Span<byte> span = destination.GetSpan(want);
                    nuint inBefore = input.pos;
                    nuint ret;
                    nuint produced;
                    fixed (byte* dstPtr = span)
                    {
                        var output = new ZSTD_outBuffer_s { dst = dstPtr, size = (nuint)want, pos = 0 };
                        ret = Methods.ZSTD_decompressStream(_dctx, &output, &input);
                        produced = output.pos;
                    }

                    Check(ret);
                    destination.Advance((int)produced);
                    total += (long)produced;
                    CompressionErrors.CheckLimit(CompressionType.Zstd, total, maxOutputBytes);
                    bool inputDone = input.pos == input.size;
                    if (ret == 0 && inputDone)
                    {
                        return (int)total;
                    }

                    if (inputDone && produced < (nuint)want)
                    {
                        throw CompressionErrors.Corrupt(CompressionType.Zstd, "the frame is cut short.");
                    }

                    if (produced == 0 && input.pos == inBefore)
                    {
                        throw CompressionErrors.Corrupt(CompressionType.Zstd, "the decoder made no progress.");
                    }
                }
            }
        }

        private static void Check(nuint ret)
        {
            if (Methods.ZSTD_isError(ret))
            {
                throw CompressionErrors.Corrupt(CompressionType.Zstd, Methods.ZSTD_getErrorName(ret));
            }
        }
    }
}
