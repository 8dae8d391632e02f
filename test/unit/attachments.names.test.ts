import { describe, expect, it } from 'vitest'
import { contentDisposition, downloadName } from '../../src/attachments/attachments.rules'

// Issue #21 point 6: what a browser is told to save a file as.
describe('download names', () => {
  it.each([
    ['proof.pdf', 'proof.pdf'],
    ['日本語のファイル名.pdf', '日本語のファイル名.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\win.ini', 'win.ini'],
    ['C:\\Users\\x\\a.txt', 'a.txt'],
    ['.', 'download'],
    ['..', 'download'],
    ['dir/', 'download'],
    ['', 'download'],
    ['.htaccess', 'htaccess'],
    ['report.pdf.  ', 'report.pdf'],
    ['CON', '_CON'],
    ['con.txt', '_con.txt'],
    ['LPT1.tar.gz', '_LPT1.tar.gz'],
    ['COM¹.txt', '_COM¹.txt'],
    ['CONSOLE.txt', 'CONSOLE.txt'],
    ['invoice\u202efdp.exe', 'invoice_fdp.exe'],
    ['a\u2066b\u2069c\u200e.txt', 'a_b_c_.txt'],
    ['tab\tand\u0000nul\u0085.txt', 'tab_and_nul_.txt'],
    ['what?<x>:"y"|*.txt', 'what__x___y___.txt'],
  ])('%j → %j', (name, expected) => {
    expect(downloadName(name)).toBe(expected)
  })

  it('puts the same safe name in filename and filename*', () => {
    expect(contentDisposition('attachment', '../見積書.pdf')).toBe(
      `attachment; filename="___.pdf"; filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf`,
    )
    expect(contentDisposition('inline', 'ＣＯＮ.png')).toBe(
      `inline; filename="_CON.png"; filename*=UTF-8''%EF%BC%A3%EF%BC%AF%EF%BC%AE.png`,
    )
  })
})
