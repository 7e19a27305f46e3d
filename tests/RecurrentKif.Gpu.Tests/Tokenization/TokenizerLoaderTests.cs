using RecurrentKif.Gpu.Tests.Tokenization.HuggingFace;
using RecurrentKif.Gpu.Tokenization;
using RecurrentKif.Gpu.Tokenization.HuggingFace;

namespace RecurrentKif.Gpu.Tests.Tokenization;

public sealed class TokenizerLoaderTests
{
    [Fact]
    public void Stories260k_folder_loads_its_llama2c_tokenizer()
    {
        ITextTokenizer tokenizer = TokenizerLoader.FromModelFolder(SharedFixtures.Stories260k);
        Assert.IsType<Llama2cTokenizer>(tokenizer);
        Assert.Equal(512, tokenizer.VocabSize);
    }

    [Fact]
    public void Empty_folder_error_names_the_folder_and_the_files_looked_for()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-tok-").FullName;
        try
        {
            var error = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.FromModelFolder(folder));
            Assert.Contains(folder, error.Message);
            Assert.Contains("tokenizer.model", error.Message);
            Assert.Contains("spiece.model", error.Message);
            Assert.Contains("tokenizer.bin", error.Message);
            Assert.Contains("tokenizer.json", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void SentencePiece_model_is_preferred_over_tokenizer_bin()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-tok-").FullName;
        try
        {
            File.Copy(TokenizerTestTexts.Stories260kTokenizerBin, Path.Combine(folder, "tokenizer.bin"));
            File.WriteAllBytes(Path.Combine(folder, "tokenizer.model"),
                Llama2cToSentencePieceModel.Convert(TokenizerTestTexts.Stories260kTokenizerBin));
            Assert.IsType<SentencePieceTextTokenizer>(TokenizerLoader.FromModelFolder(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Tokenizer_json_is_read_when_it_is_the_only_tokenizer_file()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-tok-").FullName;
        try
        {
            new SmallTokenizerJson().WithAddedToken("<|end|>").Write(folder);
            var tokenizer = Assert.IsType<ByteLevelBpeTokenizer>(TokenizerLoader.FromModelFolder(folder));
            Assert.Equal(257, tokenizer.VocabSize);
            Assert.Equal(256, tokenizer.EosId);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void SentencePiece_model_is_preferred_over_tokenizer_json()
    {
        string folder = Directory.CreateTempSubdirectory("rkif-tok-").FullName;
        try
        {
            new SmallTokenizerJson().Write(folder);
            File.WriteAllBytes(Path.Combine(folder, "tokenizer.model"),
                Llama2cToSentencePieceModel.Convert(TokenizerTestTexts.Stories260kTokenizerBin));
            Assert.IsType<SentencePieceTextTokenizer>(TokenizerLoader.FromModelFolder(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
