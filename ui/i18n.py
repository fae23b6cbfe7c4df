"""The gallery's one translation table, Hungarian and English, and the language switch.

Every visible UI string of every page is looked up here with `t("<page>.<name>")`, so a
missing translation is caught by tests/test_i18n.py instead of by an audience. Words that
are data (the English vocabulary of the word-vector page, ImageNet class names) stay as they
are. Keep each page's strings in its own section to keep merges clean.
"""

from __future__ import annotations

import streamlit as st

LANGUAGES = {"hu": "Magyar", "en": "English"}
DEFAULT_LANGUAGE = "hu"  # the lecture is given in Hungarian
STATE_KEY = "lang"

TEXTS: dict[str, dict[str, str]] = {
    # --- gallery (app.py, home page, shared widgets) ---
    "app.title": {"en": "Deep learning, hands on", "hu": "Deep learning kézzelfoghatóan"},
    "app.language": {"en": "Language", "hu": "Nyelv"},
    "app.home": {"en": "Gallery", "hu": "Galéria"},
    "home.intro": {
        "en": "Interactive demos for the *Deep Learning* lecture (Varga Dániel, Rényi "
              "Institute). Every page runs a real trained network: draw, type, click and "
              "watch what it does.",
        "hu": "Interaktív bemutatók a *Deep Learning* előadáshoz (Varga Dániel, Rényi "
              "Intézet). Minden oldalon valódi, betanított neuronháló fut: rajzolj, gépelj, "
              "kattints, és nézd meg, mit csinál."},
    "home.open": {"en": "Open", "hu": "Megnyitás"},
    "home.offline": {
        "en": "Everything runs on this computer: no internet connection is needed.",
        "hu": "Minden ezen a gépen fut: nem kell hozzá internetkapcsolat."},
    "common.timing": {"en": "⏱ {ms:.0f} ms on {device}", "hu": "⏱ {ms:.0f} ms, eszköz: {device}"},
    "common.about": {"en": "What is going on here?", "hu": "Mi történik itt?"},
    "common.error": {
        "en": "Something went wrong with this step; the rest of the page still works. "
              "Try again or change the input.",
        "hu": "Ez a lépés nem sikerült; az oldal többi része működik. Próbáld újra, vagy "
              "változtass a bemeneten."},
    # --- heavy_work (ui/heavy_work.py: the line for long computations) ---
    "heavy_work.waiting": {
        "en": "You are **number {place} in line**: the server runs only a few long "
              "computations at a time, so that the page stays quick for everyone. "
              "Estimated wait: {wait}.",
        "hu": "**Sorban állsz, {place}. vagy**: a szerver egyszerre csak néhány hosszú "
              "számítást futtat, hogy az oldal mindenkinek gyors maradjon. Várható "
              "várakozás: {wait}."},
    "heavy_work.seconds": {"en": "about {seconds} s", "hu": "kb. {seconds} s"},
    "heavy_work.minutes": {"en": "about {minutes} min", "hu": "kb. {minutes} perc"},
    "heavy_work.leave": {"en": "Leave the line", "hu": "Kilépés a sorból"},
    "heavy_work.running": {"en": "Your turn: computing… ({seconds:.0f} s)",
                           "hu": "Sorra kerültél, számolunk… ({seconds:.0f} s)"},
    "heavy_work.busy": {
        "en": "The server is busy with other visitors' long computations and its waiting "
              "line is full. Please try again in a minute.",
        "hu": "A szerver most mások hosszú számításain dolgozik, és a várakozási sor "
              "megtelt. Próbáld újra egy perc múlva."},
    "heavy_work.previous": {
        "en": "Your previous computation is still finishing; this one starts right after it.",
        "hu": "Az előző számításod még befejeződik; ez rögtön utána indul."},
    # --- images (backend/images.py upload errors) ---
    "images.empty": {"en": "The uploaded file is empty.", "hu": "A feltöltött fájl üres."},
    "images.not_an_image": {
        "en": "This file is not an image. Please upload a JPEG, PNG or WebP picture.",
        "hu": "Ez a fájl nem kép. Tölts fel JPEG, PNG vagy WebP képet."},
    "images.unsupported_format": {
        "en": "{format} images are not supported. Please upload one of: {allowed}.",
        "hu": "A(z) {format} formátum nem támogatott. Ezek közül tölts fel: {allowed}."},
    "images.too_many_pixels": {
        "en": "This image is too large ({megapixels} megapixels; the limit is {limit}).",
        "hu": "Ez a kép túl nagy ({megapixels} megapixel; a határ {limit})."},
    "images.too_small": {
        "en": "This image is too small: both sides must be at least {side} pixels.",
        "hu": "Ez a kép túl kicsi: mindkét oldalának legalább {side} pixelesnek kell lennie."},
    "images.corrupt": {
        "en": "This image file is damaged or incomplete and cannot be opened.",
        "hu": "Ez a képfájl sérült vagy hiányos, nem lehet megnyitni."},
    # --- autoencoder ---
    "autoencoder.title": {"en": "Autoencoder latent explorer", "hu": "Autoenkóder látens tér"},
    "autoencoder.teaser": {
        "en": "Draw a digit and see where it lands among 1,000 real ones in the latent space.",
        "hu": "Rajzolj egy számjegyet, és nézd meg, hová kerül 1000 valódi számjegy között a "
              "látens térben."},
    "autoencoder.explanation": {
        "en": "An **autoencoder** squeezes each 28x28 image (784 numbers) through a narrow "
              "middle layer and learns to rebuild it from there. The middle layer's values "
              "are a **latent representation**: an intermediate result of the network that "
              "keeps what matters about the digit. Here the middle layer has only **two** "
              "numbers, so the latent space is a plane you can look at directly.\n\n"
              "It is a *variational* autoencoder (Kingma & Welling, 2014): the encoder gives "
              "a small cloud instead of a single point, and training keeps the clouds close to "
              "a standard normal distribution. That is why every point of the plane decodes to "
              "something digit-like, and why walking from one digit to another morphs smoothly."
              "\n\nThe dots are 1,000 handwritten digits the network never saw in training.",
        "hu": "Az **autoenkóder** minden 28x28-as képet (784 számot) egy keskeny középső "
              "rétegen présel át, és megtanulja onnan visszaépíteni. A középső réteg értékei "
              "egy **látens reprezentációt** adnak: a hálózat számítási részeredményét, amely "
              "megőrzi a számjegy lényegét. Itt a középső réteg csak **két** számból áll, így "
              "a látens tér egy sík, amelyet közvetlenül megnézhetünk.\n\n"
              "Ez *variációs* autoenkóder (Kingma és Welling, 2014): a kódoló egyetlen pont "
              "helyett egy kis felhőt ad, a tanítás pedig a felhőket a standard normális "
              "eloszlás közelében tartja. Ezért dekódolható a sík minden pontja valami "
              "számjegyszerűvé, és ezért alakul át simán egyik számjegy a másikba.\n\n"
              "A pöttyök 1000 kézzel írt számjegyet mutatnak, amelyeket a háló a tanítás "
              "során sosem látott."},
    "autoencoder.draw": {"en": "Draw a digit", "hu": "Rajzolj egy számjegyet"},
    "autoencoder.clear": {"en": "Clear", "hu": "Törlés"},
    "autoencoder.empty_hint": {
        "en": "Draw a digit from 0 to 9 in the black box, with the mouse or a finger.",
        "hu": "Rajzolj egy 0 és 9 közötti számjegyet a fekete mezőbe egérrel vagy ujjal."},
    "autoencoder.model_sees": {"en": "What the network sees (28x28)",
                               "hu": "Amit a háló lát (28x28)"},
    "autoencoder.reconstruction": {"en": "Its reconstruction", "hu": "A visszaállított kép"},
    "autoencoder.position": {
        "en": "Latent position ({z1:.2f}, {z2:.2f}), among the {digit}s",
        "hu": "Látens pozíció: ({z1:.2f}, {z2:.2f}), a(z) {digit}-es számjegyek között"},
    "autoencoder.map": {"en": "The latent space", "hu": "A látens tér"},
    "autoencoder.map_hint": {
        "en": "Each dot is a real digit, placed by the encoder. Click anywhere to decode "
              "that point.",
        "hu": "Minden pötty egy valódi számjegy, a kódoló helyezte el. Kattints bárhová, és "
              "a dekódoló megmutatja, mi van ott."},
    "autoencoder.digit": {"en": "Digit", "hu": "Számjegy"},
    "autoencoder.you": {"en": "your digit", "hu": "a te számjegyed"},
    "autoencoder.clicked": {"en": "decoded", "hu": "dekódolt pont"},
    "autoencoder.probe_hint": {
        "en": "…or move the decoded point with the sliders (on a phone, this is the way).",
        "hu": "…vagy mozgasd a dekódolt pontot a csúszkákkal (telefonon így megy)."},
    "autoencoder.z1": {"en": "z₁", "hu": "z₁"},
    "autoencoder.z2": {"en": "z₂", "hu": "z₂"},
    "autoencoder.decoded_at": {"en": "Decoded at ({z1:.2f}, {z2:.2f})",
                               "hu": "Dekódolva itt: ({z1:.2f}, {z2:.2f})"},
    "autoencoder.manifold": {"en": "The whole plane decoded", "hu": "A teljes sík dekódolva"},
    "autoencoder.manifold_hint": {
        "en": "The decoder's output on a regular grid over the same plane as the map "
              "(Kingma & Welling, 2014, Fig. 4). The red ring marks your digit.",
        "hu": "A dekódoló kimenete a térképpel azonos sík szabályos rácsán (Kingma és "
              "Welling, 2014, 4. ábra). A piros kör a te számjegyedet jelöli."},
    "autoencoder.walk": {"en": "Walk through the latent space",
                         "hu": "Séta a látens térben"},
    "autoencoder.walk_to": {"en": "From your digit to", "hu": "A számjegyedtől ide"},
    "autoencoder.class_centre": {"en": "the centre of the {digit}s",
                                 "hu": "a(z) {digit}-esek középpontja"},
    "autoencoder.farthest": {"en": "the farthest class centre",
                             "hu": "a legtávolabbi osztály középpontja"},
    "autoencoder.previous": {"en": "your previous drawing", "hu": "az előző rajzod"},
    "autoencoder.frames": {"en": "Frames", "hu": "Képkockák"},
    "autoencoder.animate": {"en": "Animate", "hu": "Animáció"},
    "autoencoder.walk_hint": {
        "en": "Draw a digit (or click the map) to start a walk from there.",
        "hu": "Rajzolj egy számjegyet (vagy kattints a térképre), és onnan indul a séta."},
    "autoencoder.walk_caption": {
        "en": "Decoded points evenly spaced on a straight line in the latent space",
        "hu": "Egyenes mentén, egyenlő közönként vett látens pontok dekódolva"},
    # --- word_vectors ---
    "word_vectors.title": {"en": "Word-vector arithmetic", "hu": "Szóvektor-aritmetika"},
    "word_vectors.teaser": {
        "en": "rome − italy + china = ? Add and subtract words as vectors and see where you land.",
        "hu": "rome − italy + china = ? Adj össze és vonj ki szavakat vektorként, és nézd meg, "
              "hova jutsz."},
    "word_vectors.explanation": {
        "en": "**Word embeddings** represent every word as a real vector, so that words can be "
              "the inputs and outputs of neural networks. Training maps words whose *contexts* "
              "are often similar to nearby vectors. Here: GloVe (Pennington et al. 2014), "
              "400,000 English words in 50 dimensions, learned from 6 billion words of "
              "Wikipedia and news text.\n\n"
              "Similar relations become similar offsets, so **vector arithmetic** finds "
              "analogies: *rome − italy + china* lands near *beijing*. **3CosAdd** picks the "
              "word with the highest cosine similarity to b − a + c (of unit vectors); "
              "**3CosMul** (Levy & Goldberg 2014) multiplies the similarities instead, so that "
              "no single term dominates.\n\n"
              "The map is a **UMAP** projection of the 30,000 most frequent words to two "
              "dimensions. It keeps neighbourhoods, not directions: the arrows a→b and "
              "c→result are only roughly parallel there, while in 50 dimensions the offsets "
              "match much better.",
        "hu": "A **word embedding** (szóbeágyazás) módszereknek hála a szavak valós vektorokként "
              "reprezentálhatók, és így neuronhálók bemeneteként és kimeneteként használhatók. "
              "A beágyazás közeli vektorokba képezi azokat a szavakat, amiknek a "
              "*szövegkörnyezetük* gyakran hasonló. Itt: GloVe (Pennington és tsai., 2014), "
              "400 000 angol szó 50 dimenzióban, 6 milliárd szónyi Wikipédia- és hírszövegből "
              "tanítva.\n\n"
              "A hasonló viszonyokból hasonló eltolások lesznek, ezért a **vektoraritmetika** "
              "analógiákat talál: a *rome − italy + china* a *beijing* közelébe esik. A "
              "**3CosAdd** azt a szót választja, amelynek a b − a + c vektorral (egységvektorok"
              "ból) vett koszinusz-hasonlósága a legnagyobb; a **3CosMul** (Levy és Goldberg, "
              "2014) a hasonlóságokat összeszorozza, így egyik tag sem nyomja el a többit.\n\n"
              "A térkép a 30 000 leggyakoribb szó **UMAP**-vetülete két dimenzióba. A "
              "szomszédságokat őrzi meg, nem az irányokat: az a→b és a c→eredmény nyilak ott "
              "csak nagyjából párhuzamosak, 50 dimenzióban az eltolások sokkal jobban egyeznek."},
    "word_vectors.presets": {"en": "Examples", "hu": "Példák"},
    "word_vectors.presets_placeholder": {
        "en": "Pick one: the lecture's or the classics", "hu": "Válassz: az előadásból vagy klasszikust"},
    "word_vectors.from_lecture": {"en": "{expression}  (lecture)", "hu": "{expression}  (előadás)"},
    "word_vectors.honest_note": {
        "en": "The lecture's examples came from 300-dimensional word2vec vectors. These "
              "50-dimensional GloVe vectors reproduce some of them (beijing, ukraine) but not "
              "all: for every preset the page shows where the expected answer ranks.",
        "hu": "Az előadás példái 300 dimenziós word2vec vektorokból származnak. Ezek az 50 "
              "dimenziós GloVe vektorok egy részüket visszaadják (beijing, ukraine), de nem "
              "mindet: minden előre megadott példánál az oldal megmutatja, hányadik a várt "
              "válasz."},
    "word_vectors.expression": {
        "en": "Expression: English words joined by + and −",
        "hu": "Kifejezés: angol szavak + és − jelekkel összekötve"},
    "word_vectors.expression_help": {
        "en": "Any number of words; case does not matter. A number before or after * weighs a "
              "word: 0.5*paris, berlin*2. Press Enter to run.",
        "hu": "Tetszőleges számú szó; a kis- és nagybetű mindegy. A * előtti vagy utáni szám "
              "súlyozza a szót: 0.5*paris, berlin*2. Enterrel indul."},
    "word_vectors.method": {"en": "Method", "hu": "Módszer"},
    "word_vectors.method_help": {
        "en": "3CosAdd: cosine similarity to b − a + c. 3CosMul (Levy & Goldberg 2014): "
              "cos(d,b)·cos(d,c) / cos(d,a) with cosines shifted to [0, 1]; it takes no weights.",
        "hu": "3CosAdd: koszinusz-hasonlóság a b − a + c vektorral. 3CosMul (Levy és Goldberg, "
              "2014): cos(d,b)·cos(d,c) / cos(d,a), a koszinuszokat [0, 1]-be tolva; súlyokat "
              "nem kezel."},
    "word_vectors.exclude": {"en": "Exclude the input words", "hu": "Bemeneti szavak kizárása"},
    "word_vectors.exclude_help": {
        "en": "Switch it off to see how often an input word itself is the nearest vector.",
        "hu": "Kapcsold ki, és meglátod, milyen gyakran maga egy bemeneti szó a legközelebbi "
              "vektor."},
    "word_vectors.restrict": {
        "en": "Search the most frequent words", "hu": "Keresés a leggyakoribb szavak között"},
    "word_vectors.restrict_help": {
        "en": "GloVe lists its words by frequency. Rare words have noisy vectors, so analogy "
              "tests usually search only the 30,000 most frequent.",
        "hu": "A GloVe gyakoriság szerint sorolja a szavait. A ritka szavak vektorai zajosak, "
              "ezért az analógiatesztek többnyire csak a 30 000 leggyakoribb szó között "
              "keresnek."},
    "word_vectors.results": {"en": "{expression} ≈", "hu": "{expression} ≈"},
    "word_vectors.word": {"en": "word", "hu": "szó"},
    "word_vectors.cosine": {"en": "cosine similarity", "hu": "koszinusz-hasonlóság"},
    "word_vectors.cosmul_score": {"en": "3CosMul score", "hu": "3CosMul pontszám"},
    "word_vectors.answer_first": {
        "en": "The expected answer, **{word}**, comes first.",
        "hu": "A várt válasz, a **{word}**, az első helyen áll."},
    "word_vectors.answer_rank": {
        "en": "The expected answer, **{word}**, is only number {rank} here.",
        "hu": "A várt válasz (**{word}**) itt csak a {rank}. helyen áll."},
    "word_vectors.answer_outside": {
        "en": "The expected answer, **{word}**, is not among the {n} most frequent words: "
              "widen the search.",
        "hu": "A várt válasz (**{word}**) nincs a {n} leggyakoribb szó között: bővítsd a "
              "keresést."},
    "word_vectors.inputs_included": {
        "en": "Input words included: the nearest vector is often one of them, which is why "
              "analogy search leaves them out.",
        "hu": "A bemeneti szavak is szerepelnek: a legközelebbi vektor gyakran épp az egyikük, "
              "ezért hagyja ki őket az analógiakeresés."},
    "word_vectors.view": {"en": "Map", "hu": "Térkép"},
    "word_vectors.view.umap": {"en": "UMAP: neighbourhoods", "hu": "UMAP: szomszédságok"},
    "word_vectors.view.pca": {"en": "PCA: directions", "hu": "PCA: irányok"},
    "word_vectors.umap_hint": {
        "en": "UMAP of the {n} most frequent words; rarer words sit among their nearest "
              "neighbours. Orange arrows: the offset subtracted and added again (a→b beside "
              "c→result). UMAP keeps neighbourhoods, not directions.",
        "hu": "A {n} leggyakoribb szó UMAP-térképe; a ritkább szavak a legközelebbi szomszédaik "
              "közé kerülnek. Narancs nyilak: a kivont, majd újra hozzáadott eltolás (a→b a "
              "c→eredmény mellett). Az UMAP a szomszédságokat őrzi meg, nem az irányokat."},
    "word_vectors.pca_hint": {
        "en": "The words' unit vectors projected on their two principal axes (PCA). A linear "
              "projection keeps parallel offsets parallel: the star is the computed point "
              "b − a + c itself, the results are the words closest to its direction.",
        "hu": "A szavak egységvektorai a két fő irányukra vetítve (PCA). A lineáris vetítés a "
              "párhuzamos eltolásokat párhuzamosnak hagyja: a csillag maga a kiszámolt "
              "b − a + c pont, az eredmények az irányához legközelebbi szavak."},
    "word_vectors.role.context": {"en": "context", "hu": "környezet"},
    "word_vectors.role.neighbour": {"en": "neighbours", "hu": "szomszédok"},
    "word_vectors.role.positive": {"en": "added (+)", "hu": "hozzáadva (+)"},
    "word_vectors.role.negative": {"en": "subtracted (−)", "hu": "kivonva (−)"},
    "word_vectors.role.result": {"en": "results", "hu": "eredmények"},
    "word_vectors.role.target": {"en": "the sum itself", "hu": "maga az összeg"},
    "word_vectors.did_you_mean": {"en": "Did you mean", "hu": "Erre gondoltál?"},
    "word_vectors.error.empty": {
        "en": "Type an expression, for example: rome - italy + china",
        "hu": "Írj be egy kifejezést, például: rome - italy + china"},
    "word_vectors.error.too_long": {
        "en": "The expression is too long: at most 12 words and 300 characters.",
        "hu": "A kifejezés túl hosszú: legfeljebb 12 szó és 300 karakter lehet."},
    "word_vectors.error.operator": {
        "en": "A word is missing at “{token}”. Join words with + and -, for example: "
              "king - man + woman",
        "hu": "Hiányzik egy szó itt: „{token}”. A szavakat + és - jellel kösd össze, például: "
              "king - man + woman"},
    "word_vectors.error.missing_operator": {
        "en": "Put + or - before “{token}”.",
        "hu": "Tegyél + vagy - jelet ez elé: „{token}”."},
    "word_vectors.error.weight": {
        "en": "“{token}” is not a weight: write a number (at most 100) and a word, for "
              "example 0.5*paris.",
        "hu": "„{token}” nem súly: egy számot (legfeljebb 100) és egy szót írj, például "
              "0.5*paris."},
    "word_vectors.error.cancels": {
        "en": "The words cancel out (“{token}” minus itself): nothing is left to search for.",
        "hu": "A szavak kioltják egymást („{token}” mínusz önmaga): nem marad mit keresni."},
    "word_vectors.error.unknown": {
        "en": "GloVe does not know the word “{token}”.",
        "hu": "A GloVe nem ismeri ezt a szót: „{token}”."},
    "word_vectors.error.cosmul_weight": {
        "en": "3CosMul multiplies similarities and takes no weights (“{token}”): switch to "
              "3CosAdd or drop the weight.",
        "hu": "A 3CosMul a hasonlóságokat szorozza, súlyt nem kezel („{token}”): válts "
              "3CosAdd-ra, vagy hagyd el a súlyt."},
    "word_vectors.error.cosmul_positive": {
        "en": "3CosMul needs at least one word with +.",
        "hu": "A 3CosMul-hoz legalább egy + jelű szó kell."},
    # --- gan ---
    "gan.title": {"en": "GAN latent walks", "hu": "Séta egy GAN látens terében"},
    "gan.teaser": {
        "en": "Walk between generated clothes or digits of a Wasserstein GAN, straight or "
              "along the sphere, and watch the critic judge every frame.",
        "hu": "Sétálj egy Wasserstein GAN által generált ruhadarabok vagy számjegyek között "
              "egyenesen vagy a gömbön, és nézd, hogyan ítéli meg a kritikus az egyes "
              "képkockákat."},
    "gan.explanation": {
        "en": "A **generator** network g(z) turns a random vector z of 64 numbers, drawn from "
              "a standard normal distribution, into a 28x28 image. It was trained against a "
              "second network, the **critic**: the critic is rewarded for giving large "
              "values to real images and small ones to generated images, while the generator "
              "is rewarded for fooling it. Kept (nearly) 1-Lipschitz by a gradient penalty "
              "(Gulrajani et al., 2017), the critic is the witness function of the "
              "Kantorovich-Rubinstein duality, so the gap between its average scores "
              "estimates the **Wasserstein distance** (earth mover's distance) between real "
              "and generated images: this is the **Wasserstein GAN**.\n\n"
              "Every point of the **latent space** gives an image, so a path between two "
              "points gives a morph. A straight line (**lerp**) passes through vectors much "
              "shorter than the generator ever saw: in 64 dimensions almost all of a "
              "Gaussian's mass lies near the sphere of radius √64 = 8. **Slerp** walks along "
              "that sphere instead (White, 2016). The critic's score along the path shows "
              "which frames look less real to it; its scale is arbitrary, only differences "
              "count.",
        "hu": "A **generátor** háló, g(z), egy 64 számból álló, standard normális "
              "eloszlásból húzott véletlen z vektort alakít 28x28-as képpé. Egy második "
              "háló, a **kritikus** ellen tanult: a kritikust azért jutalmazzuk, ha nagy "
              "értéket ad a valódi képekre és kicsit a generáltakra, a generátort pedig "
              "azért, ha megtéveszti a kritikust. Mivel a gradiens-büntetés (Gulrajani és "
              "mtsai, 2017) (közel) 1-Lipschitz függvénynek tartja, a kritikus a "
              "Kantorovics-Rubinstein dualitás tanú-függvénye, így átlagos pontszámainak "
              "különbsége a valódi és a generált képek közti **Wasserstein-távolságot** "
              "(earth mover's distance) becsüli: ez a **Wasserstein GAN**.\n\n"
              "A **látens tér** minden pontjából kép lesz, így két pont közti út "
              "átváltozást ad. Az egyenes (**lerp**) a generátor által sosem látott, sokkal "
              "rövidebb vektorokon halad át: 64 dimenzióban a normális eloszlás szinte teljes "
              "tömege a √64 = 8 sugarú gömb közelében van. A **slerp** ehelyett a gömbön "
              "halad (White, 2016). A kritikus pontszáma az út mentén megmutatja, mely "
              "képkockák tűnnek neki kevésbé valódinak; a skála önkényes, csak a "
              "különbségek számítanak."},
    "gan.model": {"en": "Trained on", "hu": "Tanítóadat"},
    "gan.model_fashion": {"en": "Fashion-MNIST clothes", "hu": "Fashion-MNIST ruhák"},
    "gan.model_digits": {"en": "MNIST digits", "hu": "MNIST számjegyek"},
    "gan.model_card": {"en": "How good is this generator?", "hu": "Mennyire jó ez a generátor?"},
    "gan.record": {
        "en": "WGAN-GP trained for {steps} generator steps ({critic_steps} critic steps each) in "
              "{minutes:.0f} minutes on a CPU.",
        "hu": "WGAN-GP, {steps} generátorlépés (mindegyikhez {critic_steps} kritikuslépés), "
              "{minutes:.0f} perc tanítás CPU-n."},
    "gan.frechet_floor": {"en": "Real training images", "hu": "Valódi tanítóképek"},
    "gan.frechet_model": {"en": "This generator", "hu": "Ez a generátor"},
    "gan.frechet_ceiling": {"en": "Untrained generator", "hu": "Tanítatlan generátor"},
    "gan.frechet_hint": {
        "en": "Fréchet distance to the test images (lower is better), measured like FID but "
              "in the features of a small classifier trained on the same data set; "
              "{samples:,} images each.",
        "hu": "Fréchet-távolság a tesztképektől (a kisebb a jobb); az FID-hez hasonlóan, de "
              "egy ugyanezen az adathalmazon tanított kis osztályozó jellemzőterében mérve, "
              "{samples}-{samples} képen."},
    "gan.samples": {"en": "Pick two samples", "hu": "Válassz két mintát"},
    "gan.seed": {"en": "Seed of this page of samples", "hu": "A mintaoldal véletlenmagja (seed)"},
    "gan.new_samples": {"en": "New samples", "hu": "Új minták"},
    "gan.start": {"en": "Start", "hu": "Kezdőpont"},
    "gan.end": {"en": "End", "hu": "Végpont"},
    "gan.interpolation": {"en": "Interpolation in the latent space",
                          "hu": "Interpoláció a látens térben"},
    "gan.frames": {"en": "Frames", "hu": "Képkockák"},
    "gan.lerp": {"en": "Linear (lerp)", "hu": "Lineáris (lerp)"},
    "gan.slerp": {"en": "Spherical (slerp)", "hu": "Gömbi (slerp)"},
    "gan.frame": {"en": "frame", "hu": "képkocka"},
    "gan.critic_score": {"en": "critic score", "hu": "kritikus pontszáma"},
    "gan.critic_title": {"en": "The critic's score along the two paths",
                         "hu": "A kritikus pontszáma a két út mentén"},
    "gan.critic_caption": {
        "en": "Higher means the frame looks more real to the critic. Only differences count: "
              "the critic is trained to tell real from generated, not to give an absolute "
              "grade.",
        "hu": "A nagyobb érték azt jelenti, hogy a képkocka valódibbnak tűnik a kritikusnak. "
              "Csak a különbségek számítanak: a kritikust a valódi és a generált képek "
              "megkülönböztetésére tanítottuk, nem abszolút osztályzásra."},
    "gan.norms": {"en": "Length of z along the two paths", "hu": "A z hossza a két út mentén"},
    "gan.typical_norm": {"en": "typical length √{dim} = {norm:.0f}",
                         "hu": "tipikus hossz: √{dim} = {norm:.0f}"},
    "gan.norms_hint": {
        "en": "The green band is where almost every z of the prior lies. Lerp sags into the "
              "middle of the sphere, where the generator saw no training input; slerp stays "
              "on the shell.",
        "hu": "A zöld sáv az, ahol a prior szinte minden z vektora található. A lerp "
              "belesüllyed a gömb belsejébe, ahol a generátor nem kapott tanítóbemenetet; a "
              "slerp a gömbhéjon marad."},
    "gan.walk": {"en": "Animated walk", "hu": "Animált séta"},
    "gan.walk_points": {"en": "Random points to visit", "hu": "Bejárt véletlen pontok száma"},
    "gan.new_walk": {"en": "New walk", "hu": "Új séta"},
    "gan.walk_caption": {
        "en": "A loop through {points} random points of the latent space (slerp, {frames} "
              "frames)",
        "hu": "Kör {points} véletlen látens ponton át (slerp, {frames} képkocka)"},
    "gan.download": {"en": "Download GIF", "hu": "GIF letöltése"},
    # --- style_transfer ---
    "style_transfer.title": {"en": "Style transfer", "hu": "Stílustranszfer"},
    "style_transfer.teaser": {
        "en": "Paint any photo in one of 26 styles, or in the style of any painting, in a "
              "single pass through a small network.",
        "hu": "Fesd meg bármelyik fényképet 26 stílus egyikében vagy bármilyen festmény "
              "stílusában, egyetlen lépésben, egy kis neuronhálóval."},
    "style_transfer.explanation": {
        "en": "The original **neural style transfer** (Gatys et al., 2015) optimises the "
              "pixels of the output for minutes, until a pretrained CNN finds the photo's "
              "*content* in one of its deep layers and the painting's *style* (the correlations "
              "between feature maps, Gram matrices) across several layers. **Fast style transfer** "
              "(Johnson et al., 2016; the lecture's lengstrom/fast-style-transfer) trains a "
              "feed-forward convolutional network once to do the same in a single pass: three "
              "convolutions shrink the photo, residual blocks repaint it, two upsampling "
              "convolutions bring it back to full size.\n\n"
              "Here one network knows **26 styles** (Dumoulin et al., 2017): all styles share "
              "the convolutions, and a style is only the scale and shift of each *instance "
              "normalisation*. Mixing two styles mixes those numbers. With a **painting**, a "
              "MobileNetV2 first reads the painting and squeezes its style into 100 numbers, "
              "from which the normalisations' scale and shift are computed (Ghiasi et al., "
              "2017), so even a painting the network never saw works. Strength moves from the "
              "photo's own style vector to the painting's.",
        "hu": "Az eredeti **neurális stílustranszfer** (Gatys és mtsai, 2015) percekig "
              "optimalizálja a kimenet pixeleit, amíg egy előtanított konvolúciós háló az egyik mély "
              "rétegében a fénykép *tartalmát*, több rétegén át pedig a festmény *stílusát* (a "
              "jellemzőtérképek közti korrelációkat, a Gram-mátrixokat) nem látja benne. A "
              "**gyors stílustranszfer** (Johnson és mtsai, 2016; az előadásban a "
              "lengstrom/fast-style-transfer) egyszer betanít egy előrecsatolt konvolúciós "
              "hálót, amely ugyanezt egyetlen lépésben végzi el: három konvolúció "
              "összezsugorítja a képet, reziduális blokkok átfestik, két felskálázó konvolúció "
              "visszanagyítja.\n\n"
              "Itt egyetlen háló **26 stílust** ismer (Dumoulin és mtsai, 2017): a stílusok "
              "közösen használják a konvolúciókat, egy stílus csak az egyes *instance "
              "normalizációk* skálája és eltolása. Két stílus keverése ezeknek a számoknak a "
              "keverése. **Festménnyel** egy MobileNetV2 előbb elolvassa a festményt, és "
              "stílusát 100 számba sűríti; ebből számolódik a normalizációk skálája és "
              "eltolása (Ghiasi és mtsai, 2017), így olyan festmény is működik, amelyet a háló "
              "sosem látott. Az erősség a fénykép saját stílusvektorától a festményéig visz."},
    "style_transfer.photo": {"en": "Photo", "hu": "Fénykép"},
    "style_transfer.sample": {"en": "Sample photo", "hu": "Mintakép"},
    "style_transfer.sample_astronaut": {"en": "Astronaut", "hu": "Űrhajós"},
    "style_transfer.sample_chelsea": {"en": "Cat", "hu": "Macska"},
    "style_transfer.sample_coffee": {"en": "Coffee", "hu": "Kávé"},
    "style_transfer.sample_rocket": {"en": "Rocket", "hu": "Rakéta"},
    "style_transfer.upload_photo": {"en": "…or upload your own photo (JPEG, PNG, WebP)",
                                    "hu": "…vagy tölts fel saját fényképet (JPEG, PNG, WebP)"},
    "style_transfer.using_upload": {"en": "Using your photo.", "hu": "A te fényképedet használjuk."},
    "style_transfer.style": {"en": "Style", "hu": "Stílus"},
    "style_transfer.upload_painting": {
        "en": "Upload any painting as a style (JPEG, PNG, WebP)",
        "hu": "Tölts fel bármilyen festményt stílusnak (JPEG, PNG, WebP)"},
    "style_transfer.pick_style": {"en": "Pick a style", "hu": "Válassz stílust"},
    "style_transfer.style_number": {"en": "Style {number}", "hu": "{number}. stílus"},
    "style_transfer.painting_starry_night": {"en": "Starry Night (Van Gogh)",
                                             "hu": "Csillagos éj (Van Gogh)"},
    "style_transfer.painting_uploaded": {"en": "Your painting", "hu": "A te festményed"},
    "style_transfer.mix": {"en": "Mix with a second style", "hu": "Keverés egy második stílussal"},
    "style_transfer.second_style": {"en": "Second style", "hu": "Második stílus"},
    "style_transfer.mix_amount": {"en": "Share of the second style",
                                  "hu": "A második stílus aránya"},
    "style_transfer.mix_needs_two": {
        "en": "Paintings mix only with paintings: upload a painting to mix it with Starry Night.",
        "hu": "Festmény csak festménnyel keverhető: tölts fel egy festményt, és keverd a "
              "Csillagos éjjel."},
    "style_transfer.strength": {"en": "Strength", "hu": "Erősség"},
    "style_transfer.strength_help": {
        "en": "Built-in styles: blend with the photo. Paintings: move from the photo's own "
              "style vector to the painting's.",
        "hu": "Beépített stílusok: keverés a fényképpel. Festmények: átmenet a fénykép saját "
              "stílusvektorától a festményéig."},
    "style_transfer.size": {"en": "Output size (longest side, px)",
                            "hu": "Kimeneti méret (hosszabb oldal, px)"},
    "style_transfer.before": {"en": "Before", "hu": "Előtte"},
    "style_transfer.after": {"en": "After ({width}x{height})", "hu": "Utána ({width}x{height})"},
    "style_transfer.download": {"en": "Download PNG", "hu": "PNG letöltése"},
    "style_transfer.gallery": {"en": "The styles, each painted on the same cat",
                               "hu": "A stílusok, mindegyik ugyanarra a macskára festve"},
    # --- adversarial_patch ---
    # --- patch ---
    "adversarial_patch.title": {"en": "Adversarial patch", "hu": "Adversarial patch"},
    "adversarial_patch.teaser": {
        "en": "Stick a small printed patch on any photo and a real ImageNet classifier sees "
              "a toaster. Or change every pixel invisibly and fool it just as well.",
        "hu": "Egy kis matrica bármelyik fotón, és egy valódi ImageNet-osztályozó kenyérpirítót "
              "lát. Vagy minden pixelt láthatatlanul megváltoztatunk, és ugyanúgy becsapjuk."},
    "adversarial_patch.explanation": {
        "en": "Deep networks are not magic: a change that a human does not even notice can "
              "flip their answer. The classifier here is **EfficientNet-Lite0**, trained on "
              "the 1,000 classes of ImageNet; it has never seen these photos.\n\n"
              "**Adversarial patch** (Brown et al., 2017): a round sticker trained so that "
              "*wherever* it is placed, *whatever* photo it is on, the network answers the "
              "target class. Training maximises the average log-probability of the target "
              "over random photos, positions, sizes and rotations (*expectation over "
              "transformations*), by gradient descent on the patch's pixels while the network's "
              "weights stay fixed. The shipped patches never saw the sample photos; they were "
              "trained for sizes of 8-20% and rotations up to ±22.5°, so try what happens "
              "beyond those.\n\n"
              "**Adversarial perturbation**: FGSM (Goodfellow et al., 2015) moves every pixel "
              "by ±ε in the direction that increases the loss most (the sign of the gradient "
              "with respect to the *input*); PGD (Madry et al., 2018) repeats small such steps "
              "and projects back into the ±ε box. With ε = 2/255 the change is invisible, yet "
              "the answer changes.",
        "hu": "A mély hálók nem varázsszerek: egy ember számára észrevehetetlen változás is "
              "megfordíthatja a válaszukat. Az osztályozó itt az **EfficientNet-Lite0**, amelyet "
              "az ImageNet 1000 osztályán tanítottak; ezeket a fotókat sosem látta.\n\n"
              "**Adversarial patch** (Brown és mtsai., 2017): egy kerek matrica, amelyet úgy "
              "tanítunk, hogy *bárhová* tesszük, *bármilyen* fotóra, a háló a célosztályt "
              "válaszolja. A tanítás a célosztály átlagos log-valószínűségét maximalizálja "
              "véletlen fotókon, helyeken, méreteken és elforgatásokon (*expectation over "
              "transformations*), gradiensmódszerrel a matrica pixelein, miközben a háló "
              "súlyai változatlanok. A mellékelt matricák nem látták a mintafotókat; 8-20%-os "
              "méretre és legfeljebb ±22,5°-os elforgatásra tanítottuk őket, érdemes ezeken "
              "túl is kipróbálni.\n\n"
              "**Adversarial perturbáció**: az FGSM (Goodfellow és mtsai., 2015) minden pixelt "
              "±ε-nal abba az irányba mozdít, amerre a veszteség a leggyorsabban nő (a "
              "*bemenet* szerinti gradiens előjele); a PGD (Madry és mtsai., 2018) sok kis "
              "ilyen lépést tesz, és mindig visszavetít a ±ε dobozba. ε = 2/255 mellett a "
              "változás láthatatlan, a válasz mégis megváltozik."},
    "adversarial_patch.photo": {"en": "Photo", "hu": "Fotó"},
    "adversarial_patch.photo_chelsea": {"en": "Chelsea the cat", "hu": "Chelsea, a macska"},
    "adversarial_patch.photo_coffee": {"en": "A cup of coffee", "hu": "Egy csésze kávé"},
    "adversarial_patch.photo_rocket": {"en": "A rocket on the launch pad", "hu": "Rakéta a kilövőálláson"},
    "adversarial_patch.photo_motorcycle": {"en": "A motorcycle", "hu": "Motorkerékpár"},
    "adversarial_patch.photo_camera": {"en": "The cameraman", "hu": "Az operatőr"},
    "adversarial_patch.photo_clock": {"en": "A wall clock", "hu": "Falióra"},
    "adversarial_patch.photo_upload": {"en": "Upload your own photo…", "hu": "Saját fotó feltöltése…"},
    "adversarial_patch.upload": {"en": "Your photo (JPEG, PNG or WebP)",
                     "hu": "A fotód (JPEG, PNG vagy WebP)"},
    "adversarial_patch.upload_hint": {"en": "Upload a photo; the classifier looks at its central square.",
                          "hu": "Tölts fel egy fotót; az osztályozó a középső négyzetét nézi."},
    "adversarial_patch.tab_patch": {"en": "🍞 Adversarial patch", "hu": "🍞 Adversarial patch"},
    "adversarial_patch.tab_perturbation": {"en": "🫥 Invisible perturbation",
                                           "hu": "🫥 Láthatatlan perturbáció"},
    "adversarial_patch.patch": {"en": "Patch", "hu": "Matrica"},
    "adversarial_patch.shipped_patch": {
        "en": "{target} (on new photos: {rate:.0%} at 10% size)",
        "hu": "{target} (új fotókon: {rate:.0%} 10%-os méretnél)"},
    "adversarial_patch.own_patch": {"en": "your own: {target}", "hu": "a sajátod: {target}"},
    "adversarial_patch.coverage": {"en": "Size (share of the photo)", "hu": "Méret (a fotó hány százaléka)"},
    "adversarial_patch.rotation": {"en": "Rotation", "hu": "Elforgatás"},
    "adversarial_patch.click_hint": {
        "en": "Click or tap the photo to move the patch there (now at x {x:.0%}, y {y:.0%}).",
        "hu": "Kattints vagy bökj a fotóra, és oda kerül a matrica (most: x {x:.0%}, "
              "y {y:.0%})."},
    "adversarial_patch.before": {"en": "Without the patch", "hu": "Matrica nélkül"},
    "adversarial_patch.after": {"en": "With the patch", "hu": "Matricával"},
    "adversarial_patch.train_title": {"en": "Train your own patch", "hu": "Taníts saját matricát"},
    "adversarial_patch.train_hint": {
        "en": "Pick any of the 1,000 classes. {steps} steps of gradient descent on the patch "
              "over random training photos, positions, sizes and rotations: a minute or two. "
              "The curve is the success rate on the six sample photos, which training never "
              "uses, with the patch at 10% size.",
        "hu": "Válassz egyet az 1000 osztályból. {steps} gradienslépés a matricán véletlen "
              "tanítófotókon, helyeken, méreteken és elforgatásokon: egy-két perc. A "
              "görbe a sikerarány a hat mintafotón (ezeket a tanítás nem használja), 10%-os "
              "matricamérettel."},
    "adversarial_patch.target": {"en": "Target class", "hu": "Célosztály"},
    "adversarial_patch.train_start": {"en": "Train", "hu": "Tanítás"},
    "adversarial_patch.train_stop": {"en": "Stop", "hu": "Leállítás"},
    "adversarial_patch.train_progress": {
        "en": "step {step}/{steps} · loss {loss:.2f} · {seconds:.0f} s",
        "hu": "{step}/{steps}. lépés · veszteség {loss:.2f} · {seconds:.0f} s"},
    "adversarial_patch.success": {"en": "success on new photos (%)", "hu": "siker új fotókon (%)"},
    "adversarial_patch.step_axis": {"en": "training step", "hu": "tanítási lépés"},
    "adversarial_patch.step": {"en": "after step {step}", "hu": "{step}. lépés után"},
    "adversarial_patch.train_done": {
        "en": "Your patch “your own: {target}” ({steps} training steps) is in the patch list "
              "above: click the photo to stick it somewhere else.",
        "hu": "A matricád („a sajátod: {target}”, {steps} tanítási lépés) fent van a "
              "matricák között: kattints a fotóra, és máshová kerül."},
    "adversarial_patch.train_rate": {
        "en": "After step {step}, on the six sample photos, it won {rate:.0f}% of the time at "
              "10% size.",
        "hu": "A {step}. lépés után a hat mintafotón 10%-os méretnél az esetek {rate:.0f}%-ában "
              "nyert."},
    "adversarial_patch.method": {"en": "Method", "hu": "Módszer"},
    "adversarial_patch.method_fgsm": {"en": "FGSM (one step)", "hu": "FGSM (egy lépés)"},
    "adversarial_patch.method_pgd": {"en": "PGD (10 steps)", "hu": "PGD (10 lépés)"},
    "adversarial_patch.epsilon": {"en": "ε: largest change per pixel (out of 255)",
                      "hu": "ε: legnagyobb változás pixelenként (255-ből)"},
    "adversarial_patch.epsilon_help": {
        "en": "Each colour value of each pixel may change by at most this much.",
        "hu": "Minden pixel minden színértéke legfeljebb ennyivel változhat."},
    "adversarial_patch.attack_target": {"en": "Make it see", "hu": "Ezt lássa"},
    "adversarial_patch.any_wrong": {"en": "anything but the right answer",
                        "hu": "bármit, csak ne a helyes választ"},
    "adversarial_patch.original": {"en": "Original", "hu": "Eredeti"},
    "adversarial_patch.perturbation": {"en": "The change, amplified to ±ε = full range",
                           "hu": "A változás, felnagyítva (±ε = teljes skála)"},
    "adversarial_patch.adversarial": {"en": "Attacked: looks the same", "hu": "Támadott: ugyanolyannak tűnik"},
    "adversarial_patch.max_change": {"en": "Largest change of any pixel value: {change:.1f} / 255",
                         "hu": "A legnagyobb változás egy pixelértékben: {change:.1f} / 255"},
}


def current_language() -> str:
    """The visitor's language: the sidebar switch, else ?lang= in the URL, else Hungarian."""
    if STATE_KEY not in st.session_state:
        requested = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state[STATE_KEY] = requested if requested in LANGUAGES else DEFAULT_LANGUAGE
    return st.session_state[STATE_KEY]


def t(key: str, **params: object) -> str:
    """The text for `key` in the visitor's language, with str.format params filled in."""
    text = TEXTS[key][current_language()]
    return text.format(**params) if params else text


def language_switch() -> None:
    """The sidebar control that picks the language (kept in the URL for bookmarks)."""
    current_language()
    st.sidebar.segmented_control(
        t("app.language"), options=list(LANGUAGES), format_func=LANGUAGES.__getitem__,
        key=STATE_KEY, on_change=_remember_language_in_url)


def _remember_language_in_url() -> None:
    if st.session_state.get(STATE_KEY) is None:  # clicking the selected option unselects it
        st.session_state[STATE_KEY] = DEFAULT_LANGUAGE
    st.query_params["lang"] = st.session_state[STATE_KEY]
