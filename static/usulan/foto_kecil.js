/* Makes a phone photo small before it is sent: decoded, upright, at most 2048 px on the long side,
 * JPEG at quality 0.8 (0.65 when a busy scene still passes 300 KB: on 400 kbit/s every 100 KB costs two
 * seconds, and the server's public copy is only 1600 px anyway), carrying the original's EXIF (GPS, time taken, make/model) with Orientation
 * reset to 1, because the server's provenance flags read it. What the browser cannot decode (HEIC on
 * Chrome) is returned as it is; the server's pipeline stays the authority either way.
 * window.FotoKecil.kecilkan(file) -> Promise<Blob|File>; window.FotoKecil.gps(buffer) -> [lat, lon] | null */
(function (global) {
  "use strict";
  var SISI_MAKS = 2048;
  var KUALITAS = 0.8;
  var KUALITAS_HEMAT = 0.65;
  var BYTE_PER_FOTO = 300 * 1024;
  // A JPEG already this small is sent as it is: re-encoding would only lose quality.
  var BYTE_CUKUP = 900 * 1024;

  function jenis(u8) {
    if (u8[0] === 0xff && u8[1] === 0xd8) return "jpeg";
    if (u8[0] === 0x89 && u8[1] === 0x50 && u8[2] === 0x4e && u8[3] === 0x47) return "png";
    if (u8[0] === 0x52 && u8[1] === 0x49 && u8[8] === 0x57 && u8[9] === 0x45 && u8[10] === 0x42) return "webp";
    return "";
  }

  /* The raw TIFF block of the EXIF (from JPEG APP1, PNG eXIf or WebP EXIF), or null. */
  function tiff(u8, j) {
    var v = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
    try {
      if (j === "jpeg") {
        var o = 2;
        while (o + 4 <= u8.length) {
          if (u8[o] !== 0xff) return null;
          var penanda = u8[o + 1], panjang = v.getUint16(o + 2);
          if (penanda === 0xda || penanda === 0xd9) return null; /* image data: no EXIF before it */
          if (penanda === 0xe1 && v.getUint32(o + 4) === 0x45786966 && v.getUint16(o + 8) === 0) {
            return u8.slice(o + 10, o + 2 + panjang);
          }
          o += 2 + panjang;
        }
      } else if (j === "png") {
        var p = 8;
        while (p + 8 <= u8.length) {
          var n = v.getUint32(p), tipe = String.fromCharCode(u8[p + 4], u8[p + 5], u8[p + 6], u8[p + 7]);
          if (tipe === "eXIf") return u8.slice(p + 8, p + 8 + n);
          if (tipe === "IDAT" || tipe === "IEND") return null;
          p += 12 + n;
        }
      } else if (j === "webp") {
        var q = 12;
        while (q + 8 <= u8.length) {
          var nama = String.fromCharCode(u8[q], u8[q + 1], u8[q + 2], u8[q + 3]), m = v.getUint32(q + 4, true);
          if (nama === "EXIF") {
            var isi = u8.slice(q + 8, q + 8 + m);
            /* Some writers keep the "Exif\0\0" prefix inside the chunk. */
            return isi[0] === 0x45 && isi[1] === 0x78 ? isi.slice(6) : isi;
          }
          q += 8 + m + (m % 2);
        }
      }
    } catch (e) { return null; }
    return null;
  }

  /* Set Orientation (0x0112) in IFD0 to 1 in place: the pixels are already upright. */
  function tegakkan(t) {
    var v = new DataView(t.buffer, t.byteOffset, t.byteLength);
    var le = v.getUint16(0) === 0x4949;
    var ifd = v.getUint32(4, le), n = v.getUint16(ifd, le);
    for (var i = 0; i < n; i++) {
      var e = ifd + 2 + i * 12;
      if (v.getUint16(e, le) === 0x0112) v.setUint16(e + 8, 1, le);
    }
    return t;
  }

  /* The new JPEG with an APP1 "Exif" segment holding `t`, placed after SOI (and JFIF APP0 if any). */
  function sisipkan(jpeg, t) {
    var panjang = t.length + 8;
    if (panjang > 0xffff) return jpeg;
    var app1 = new Uint8Array(panjang + 2);
    app1.set([0xff, 0xe1, panjang >> 8, panjang & 0xff, 0x45, 0x78, 0x69, 0x66, 0, 0]);
    app1.set(t, 10);
    var posisi = 2;
    if (jpeg[2] === 0xff && jpeg[3] === 0xe0) posisi = 4 + ((jpeg[4] << 8) | jpeg[5]);
    var hasil = new Uint8Array(jpeg.length + app1.length);
    hasil.set(jpeg.subarray(0, posisi), 0);
    hasil.set(app1, posisi);
    hasil.set(jpeg.subarray(posisi), posisi + app1.length);
    return hasil;
  }

  function namaJpeg(nama) {
    return (nama || "foto").replace(/\.[^.]*$/, "") + ".jpg";
  }

  function kecilkan(file) {
    if (!global.createImageBitmap || !global.HTMLCanvasElement) return Promise.resolve(file);
    return file.arrayBuffer().then(function (buf) {
      var u8 = new Uint8Array(buf);
      var j = jenis(u8);
      if (!j) return file; /* HEIC and the rest go as they are */
      return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bmp) {
        var skala = Math.min(1, SISI_MAKS / Math.max(bmp.width, bmp.height));
        if (j === "jpeg" && skala === 1 && file.size <= BYTE_CUKUP) { bmp.close(); return file; }
        var kanvas = document.createElement("canvas");
        kanvas.width = Math.max(1, Math.round(bmp.width * skala));
        kanvas.height = Math.max(1, Math.round(bmp.height * skala));
        var ctx = kanvas.getContext("2d");
        ctx.fillStyle = "#fff"; /* transparent PNG/WebP areas become white, as on the server */
        ctx.fillRect(0, 0, kanvas.width, kanvas.height);
        ctx.imageSmoothingQuality = "high";
        ctx.drawImage(bmp, 0, 0, kanvas.width, kanvas.height);
        bmp.close();
        var jpeg = function (q) { return new Promise(function (selesai) { kanvas.toBlob(selesai, "image/jpeg", q); }); };
        return jpeg(KUALITAS)
          .then(function (blob) {
            /* A busy, noisy scene at 0.8 passes 400 KB: one step down keeps a 3G upload of two photos near 15 s. */
            if (!blob || blob.size <= BYTE_PER_FOTO) return blob;
            return jpeg(KUALITAS_HEMAT).then(function (hemat) { return hemat && hemat.size < blob.size ? hemat : blob; });
          })
          .then(function (blob) {
            if (!blob) return file;
            return blob.arrayBuffer().then(function (b) {
              var t = tiff(u8, j);
              var isi = t ? sisipkan(new Uint8Array(b), tegakkan(t)) : new Uint8Array(b);
              /* Never send more than the original. */
              if (isi.length >= file.size && j === "jpeg" && skala === 1) return file;
              return new File([isi], namaJpeg(file.name), { type: "image/jpeg", lastModified: file.lastModified });
            });
          });
      }).catch(function () { return file; }); /* undecodable here: the server decides */
    }).catch(function () { return file; });
  }

  /* GPS latitude/longitude from an EXIF TIFF block, or null (refs required: Indonesia spans the equator). */
  function gpsDariTiff(t) {
    var v = new DataView(t.buffer, t.byteOffset, t.byteLength);
    var le = v.getUint16(0) === 0x4949;
    function u16(p) { return v.getUint16(p, le); }
    function u32(p) { return v.getUint32(p, le); }
    function tag(ifd, cari) {
      var n = u16(ifd);
      for (var i = 0; i < n; i++) { var e = ifd + 2 + i * 12; if (u16(e) === cari) return e; }
      return -1;
    }
    var eGps = tag(u32(4), 0x8825);
    if (eGps < 0) return null;
    var gps = u32(eGps + 8);
    function ref(kode) { var e = tag(gps, kode); return e < 0 ? "" : String.fromCharCode(v.getUint8(e + 8)); }
    function dms(kode) {
      var e = tag(gps, kode);
      if (e < 0) return NaN;
      var p = u32(e + 8), nilai = 0, bagi = [1, 60, 3600];
      for (var i = 0; i < 3; i++) {
        var a = u32(p + i * 8), b = u32(p + i * 8 + 4);
        if (b === 0) return NaN;
        nilai += a / b / bagi[i];
      }
      return nilai;
    }
    var lr = ref(1), lat = dms(2), br = ref(3), lon = dms(4);
    if (!lr || !br || !isFinite(lat) || !isFinite(lon) || (lat === 0 && lon === 0)) return null;
    if (lr === "S") lat = -lat;
    if (br === "W") lon = -lon;
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
    return [lat, lon];
  }

  function gps(buf) {
    try {
      var u8 = new Uint8Array(buf);
      var t = tiff(u8, jenis(u8));
      return t ? gpsDariTiff(t) : null;
    } catch (e) { return null; }
  }

  global.FotoKecil = { kecilkan: kecilkan, gps: gps, SISI_MAKS: SISI_MAKS };
})(window);
