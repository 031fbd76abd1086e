/**
 * The reference data the fake serves, in Lightspeed's documented shapes, with the ids the fixtures use
 * (test/fixtures/lightspeed, test/fixtures/frequent-buyer): the same pet store on both series.
 * Category tree on both: Dog > Food > Prescription, Cat > Furniture.
 */

/** X-Series ids (UUIDs, as in the fixtures). */
export const X = {
  outlet: '0adaafb3-6583-11e5-fb60-050b7e8c9a3e',
  register: '0adaafb3-6583-11e5-fb60-050b7e8d0c0e',
  /** The fixtures' cashier (`user_id` of sale-closed.json). */
  user: '0adaafb3-6583-11e5-fb60-050b7e8e1f22',
  groups: { retail: '0adaafb3-6583-11e5-fb60-050b7e8c0001', wholesale: '0adaafb3-6583-11e5-fb60-050b7e8c0003' },
  categories: { dog: 'xcat-dog', food: 'xcat-food', prescription: 'xcat-prescription', cat: 'xcat-cat', furniture: 'xcat-furniture' },
  products: {
    /** The fixtures' first line ($12.00): the frequent-buyer fixtures' Acana bag (UPC 064992523107). */
    kibble: '0adaafb3-6583-11e5-fb60-050b7e8f0a01',
    /** The fixtures' second line ($25.40). */
    catTree: '0adaafb3-6583-11e5-fb60-050b7e8f0a02',
    prescriptionDiet: '0adaafb3-6583-11e5-fb60-050b7e8f0a03',
  },
  customers: { jane: '0242ac12-0002-11e9-e8c4-5b3a1f6e7711', wholesaler: '0242ac12-0002-11e9-e8c4-5b3a1f6e7799' },
} as const;

const xCategory = (id: string, name: string, path: Array<[string, string]>) => ({
  id,
  name,
  parent_category_id: path.length > 1 ? path[path.length - 2]![0] : null,
  root_category_id: path[0]![0],
  category_path: path.map(([pid, pname]) => ({ id: pid, name: pname })),
  deleted_at: null,
});

export function xCatalogue() {
  const c = X.categories;
  const dog: [string, string] = [c.dog, 'Dog'];
  const food: [string, string] = [c.food, 'Food'];
  const cat: [string, string] = [c.cat, 'Cat'];
  return {
    categories: [
      xCategory(c.dog, 'Dog', [dog]),
      xCategory(c.food, 'Food', [dog, food]),
      xCategory(c.prescription, 'Prescription', [dog, food, [c.prescription, 'Prescription']]),
      xCategory(c.cat, 'Cat', [cat]),
      xCategory(c.furniture, 'Furniture', [cat, [c.furniture, 'Furniture']]),
    ],
    groups: [
      { id: X.groups.retail, name: 'Retail', group_id: 'retail', deleted_at: null },
      { id: X.groups.wholesale, name: 'Wholesale', group_id: 'wholesale', deleted_at: null },
    ],
    products: [
      {
        id: X.products.kibble,
        name: 'Acana grain-free kibble 5 kg',
        sku: 'ACANA-5',
        product_codes: [{ type: 'UPC', code: '064992523107' }],
        product_category: { id: c.food, name: 'Food' },
        is_gift_card: false,
      },
      {
        id: X.products.catTree,
        name: 'Cat tree, 120 cm',
        sku: 'TREE-120',
        product_codes: [],
        product_category: { id: c.furniture, name: 'Furniture' },
        is_gift_card: false,
      },
      {
        id: X.products.prescriptionDiet,
        name: 'Renal prescription diet 2 kg',
        sku: 'RX-RENAL-2',
        product_codes: [],
        product_category: { id: c.prescription, name: 'Prescription' },
        is_gift_card: false,
      },
    ],
    customers: [
      {
        id: X.customers.jane,
        customer_code: 'JANE-0042',
        customer_group_id: X.groups.retail,
        first_name: 'Jane',
        last_name: 'Doe',
        email: 'jane.doe@example.com',
        mobile: '+15145550142',
        enable_loyalty: true,
      },
      {
        id: X.customers.wholesaler,
        customer_code: 'KENNEL-7',
        customer_group_id: X.groups.wholesale,
        first_name: 'Kennel',
        last_name: 'Supply',
        email: 'orders@kennel.example',
        mobile: '',
        enable_loyalty: true,
      },
    ],
  };
}

/** R-Series ids (numeric strings, as in the fixtures). */
export const R = {
  shop: '1',
  register: '1',
  /** The fixtures' cashier (`employeeID` of sale-completed.json). */
  employee: '3',
  customerTypes: { retail: '1', member: '2', wholesale: '3' },
  categories: { dog: '10', food: '14', prescription: '15', cat: '20', furniture: '22' },
  items: { kibble: '412', catTree: '518', prescriptionDiet: '415' },
  customers: { jane: '877', wholesaler: '878' },
} as const;

export function rCatalogue() {
  return {
    // test/fixtures/lightspeed/r/categories.json
    categories: [
      { categoryID: '10', name: 'Dog', parentID: '0', nodeDepth: '0', fullPathName: 'Dog', leftNode: '1', rightNode: '6' },
      { categoryID: '14', name: 'Food', parentID: '10', nodeDepth: '1', fullPathName: 'Dog/Food', leftNode: '2', rightNode: '5' },
      { categoryID: '15', name: 'Prescription', parentID: '14', nodeDepth: '2', fullPathName: 'Dog/Food/Prescription', leftNode: '3', rightNode: '4' },
      { categoryID: '20', name: 'Cat', parentID: '0', nodeDepth: '0', fullPathName: 'Cat', leftNode: '7', rightNode: '10' },
      { categoryID: '22', name: 'Furniture', parentID: '20', nodeDepth: '1', fullPathName: 'Cat/Furniture', leftNode: '8', rightNode: '9' },
    ],
    employees: [{ employeeID: R.employee, firstName: 'Sam', lastName: 'Tremblay', archived: 'false' }],
    registers: [{ registerID: R.register, name: 'Front counter', shopID: R.shop, archived: 'false' }],
    shops: [{ shopID: R.shop, name: 'Pet Shop Plateau', archived: 'false' }],
    // test/fixtures/lightspeed/r/customer-types.json
    customerTypes: [
      { customerTypeID: '1', name: 'Retail', discountID: '0', taxCategoryID: '0' },
      { customerTypeID: '2', name: 'Loyalty member', discountID: '0', taxCategoryID: '0' },
      { customerTypeID: '3', name: 'Wholesale', discountID: '4', taxCategoryID: '2' },
    ],
  };
}
